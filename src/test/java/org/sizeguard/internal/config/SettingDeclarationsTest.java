package org.sizeguard.internal.config;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Arrays;
import java.util.List;
import java.util.function.Predicate;
import java.util.regex.Pattern;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicy;
import org.sizeguard.StructureLimits;
import org.sizeguard.TransferLimits;
import org.sizeguard.internal.ServerLimits;

/**
 * The settings are declared once, in {@link PolicySetting} and {@link ServerSetting}; the README's configuration
 * table, the settings table of {@code docs/transfer-protocol.md}, the {@link SizePolicy} annotation and the built-in
 * policy follow from the declarations, and these tests fail when any of them drifts.
 */
class SettingDeclarationsTest {

    private static final String POLICY_ROW = "| `sizeguard.policy.<name>.<setting>` |";

    private static List<String> linesStartingWith(String file, String start) throws IOException {
        return Files.readAllLines(Path.of(file), StandardCharsets.UTF_8).stream()
                .filter(line -> line.startsWith(start)).toList();
    }

    private static String row(String... cells) {
        return "| " + String.join(" | ", cells) + " |";
    }

    private static List<String> declaredConfigurationRows() {
        Stream<String> policy = Arrays.stream(PolicySetting.values()).map(setting ->
                row("`" + setting.key(MessageSizePolicy.DEFAULT_NAME) + "`", setting.defaultValue(), setting.meaning()));
        Stream<String> server = Arrays.stream(ServerSetting.values()).map(setting ->
                row("`" + setting.key() + "`", setting.defaultValue(), setting.meaning()));
        return Stream.concat(policy, server).toList();
    }

    @Test
    void theReadmesConfigurationTableShowsEveryDeclaredSettingAsDeclaredAndNothingElse() throws IOException {
        List<String> readme = linesStartingWith("README.md", "| `sizeguard.");
        List<String> keyRows = readme.stream().filter(line -> !line.startsWith(POLICY_ROW)).toList();

        assertThat(keyRows).as("README rows of the configuration table; the declarations would print:%n%s",
                String.join(System.lineSeparator(), declaredConfigurationRows()))
                .containsExactlyElementsOf(declaredConfigurationRows());
        assertThat(readme).as("the row for named policies").anyMatch(line -> line.startsWith(POLICY_ROW));
    }

    @Test
    void theTransferProtocolsSettingsTableShowsEveryTransferSettingAsDeclared() throws IOException {
        Predicate<String> transfer = suffix -> suffix.contains("transfer") || suffix.contains("spill");
        Stream<String> policy = Arrays.stream(PolicySetting.values()).filter(setting -> transfer.test(setting.suffix()))
                .map(setting -> row("`" + setting.suffix() + "`", "`" + setting.reportName() + "`",
                        setting.defaultValue()));
        Stream<String> server = Arrays.stream(ServerSetting.values())
                .filter(setting -> transfer.test(setting.key()))
                .map(setting -> row("`" + setting.key().substring(ConfigSources.PREFIX.length()) + "`",
                        "`" + setting.reportName() + "`", setting.defaultValue()));
        List<String> declared = Stream.concat(policy, server).toList();

        assertThat(linesStartingWith("docs/transfer-protocol.md", "| `").stream()
                .filter(line -> transfer.test(line.substring(0, line.indexOf('`', 3)))).toList())
                .as("rows of the settings table in docs/transfer-protocol.md; the declarations would print:%n%s",
                        String.join(System.lineSeparator(), declared))
                .containsExactlyElementsOf(declared);
    }

    @Test
    void everySizePolicyAttributeButTheNameGivesExactlyOneDeclaredSetting() {
        List<String> attributes = Arrays.stream(SizePolicy.class.getDeclaredMethods()).map(Method::getName)
                .filter(name -> !name.equals("value")).sorted().toList();
        List<String> declared = Arrays.stream(PolicySetting.values()).map(PolicySetting::annotationAttribute)
                .sorted().toList();

        assertThat(declared).isEqualTo(attributes);
    }

    @Test
    void everySettingHasADistinctKeyAndReportName() {
        List<String> keys = Stream.concat(Arrays.stream(PolicySetting.values()).map(PolicySetting::suffix),
                Arrays.stream(ServerSetting.values()).map(setting -> setting.key().substring(
                        ConfigSources.PREFIX.length()))).toList();
        List<String> reportNames = Stream.concat(Arrays.stream(PolicySetting.values()).map(PolicySetting::reportName),
                Arrays.stream(ServerSetting.values()).map(ServerSetting::reportName)).toList();

        assertThat(keys).doesNotHaveDuplicates().allMatch(Pattern.compile("[a-z]+(-[a-z]+)*").asMatchPredicate());
        assertThat(reportNames).doesNotHaveDuplicates();
    }

    @Test
    void nothingConfiguredResolvesToTheBuiltInRecordsDefaults() {
        PolicyResolver resolver = new PolicyResolver(new ConfigSources(List.of()), java.util.Map.of());

        MessageSizePolicy policy = resolver.defaultPolicy();
        assertThat(policy).isEqualTo(new MessageSizePolicy(MessageSizePolicy.DEFAULT_NAME,
                MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES, MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES,
                MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES, MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES,
                MessageSizePolicy.DEFAULT_COMPLETION_TIMEOUT, StructureLimits.DEFAULTS,
                MessageSizePolicy.DEFAULT_PERMESSAGE_DEFLATE, TransferLimits.DEFAULTS));
        ServerLimits server = resolver.serverLimits("/app");
        assertThat(server).isEqualTo(new ServerLimits(ServerLimits.defaultMaxBufferedBytes(),
                ServerLimits.DEFAULT_MAX_CONCURRENT_STREAMS, ServerLimits.DEFAULT_MAX_OUTBOUND_BYTES,
                ServerLimits.DEFAULT_SEND_TIMEOUT, 0, 0, ServerLimits.DEFAULT_MAX_CONCURRENT_TRANSFERS,
                ServerLimits.DEFAULT_MAX_SPILL_BYTES, ServerLimits.defaultTransferDirectory().resolve("app")));
    }

    @Test
    void aShownDefaultIsTheBuiltInValueWrittenAsTheConfigurationWouldWriteIt() {
        assertThat(PolicySetting.MAX_TEXT_MESSAGE_SIZE.defaultValue()).isEqualTo("`64KiB`");
        assertThat(PolicySetting.MESSAGE_COMPLETION_TIMEOUT.defaultValue()).isEqualTo("`30s`");
        assertThat(ServerSetting.MAX_SPILL_SIZE.defaultValue()).isEqualTo("`10GiB`");
        assertThat(ValueType.SIZE.format(65_537)).isEqualTo("65537");
        assertThat(ValueType.DURATION.format(1_500)).isEqualTo("1500ms");
        assertThat(ValueType.SIZE.parse("k", ValueType.SIZE.format(3L << 30))).isEqualTo(3L << 30);
    }
}
