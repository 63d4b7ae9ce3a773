package org.sizeguard;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

import org.junit.jupiter.api.Test;
import org.sizeguard.SizeguardProperties.ServerSetting;
import org.sizeguard.SizeguardProperties.Setting;

/**
 * The settings are declared once, in {@link SizeguardProperties}; the README's configuration table and the
 * {@link SizePolicy} annotation follow from the declarations, and these tests fail when either drifts.
 */
class SettingDeclarationsTest {

    private static final String POLICY_ROW = "| `sizeguard.policy.<name>.<setting>` |";

    private static List<String> readmeTableRows() throws IOException {
        List<String> rows = new ArrayList<>();
        for (String line : Files.readAllLines(Path.of("README.md"), StandardCharsets.UTF_8)) {
            if (line.startsWith("| `sizeguard.")) {
                rows.add(line);
            }
        }
        return rows;
    }

    private static List<String> declaredRows() {
        Stream<String> policy = Arrays.stream(Setting.values()).map(setting ->
                row(SizeguardProperties.PREFIX + setting.suffix(), setting.defaultValue(), setting.meaning()));
        Stream<String> server = Arrays.stream(ServerSetting.values()).map(setting ->
                row(setting.key(), setting.defaultValue(), setting.meaning()));
        return Stream.concat(policy, server).collect(Collectors.toList());
    }

    private static String row(String key, String defaultValue, String meaning) {
        return "| `" + key + "` | " + defaultValue + " | " + meaning + " |";
    }

    @Test
    void theReadmesConfigurationTableShowsEveryDeclaredSettingAsDeclaredAndNothingElse() throws IOException {
        List<String> readme = readmeTableRows();
        List<String> keyRows = readme.stream().filter(line -> !line.startsWith(POLICY_ROW)).toList();

        assertThat(keyRows).as("README rows of the configuration table; the declarations would print:%n%s",
                String.join(System.lineSeparator(), declaredRows())).containsExactlyElementsOf(declaredRows());
        assertThat(readme).as("the row for named policies").anyMatch(line -> line.startsWith(POLICY_ROW));
    }

    @Test
    void everySizePolicyAttributeButTheNameGivesExactlyOneDeclaredSetting() {
        List<String> attributes = Arrays.stream(SizePolicy.class.getDeclaredMethods()).map(Method::getName)
                .filter(name -> !name.equals("value")).sorted().toList();
        List<String> declared = Arrays.stream(Setting.values()).map(Setting::annotationAttribute).sorted().toList();

        assertThat(declared).isEqualTo(attributes);
    }

    @Test
    void everySettingHasADistinctKeyAndReportName() {
        List<String> keys = Stream.concat(Arrays.stream(Setting.values()).map(Setting::suffix),
                Arrays.stream(ServerSetting.values()).map(setting -> setting.key().substring(
                        SizeguardProperties.PREFIX.length()))).toList();
        List<String> reportNames = Stream.concat(Arrays.stream(Setting.values()).map(Setting::reportName),
                Arrays.stream(ServerSetting.values()).map(ServerSetting::reportName)).toList();

        assertThat(keys).doesNotHaveDuplicates().allMatch(Pattern.compile("[a-z]+(-[a-z]+)*").asMatchPredicate());
        assertThat(reportNames).doesNotHaveDuplicates();
    }
}
