package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.zip.Deflater;
import java.util.zip.DeflaterOutputStream;
import java.util.zip.GZIPOutputStream;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.testclient.JdkClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;

/**
 * Payloads compressed inside binary messages ({@code InflatingDecoder}) on the real server: gzipped JSON and deflated
 * text decoded intact; a 256 MiB bomb of 254 KiB refused with 1009 after the limit + 1 inflated byte, also eight at
 * once, with nothing left held afterwards and a fresh session served; invalid data and text that is not UTF-8 are
 * 1007.
 */
@ExtendWith(ArquillianExtension.class)
class CompressedPayloadsIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    /** 256 MiB of one letter as gzipped JSON text: {@code "aaaa...}, about 254 KiB on the wire. */
    private static byte[] bomb;

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    @BeforeAll
    static void compressTheBomb() throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        byte[] mebibyte = new byte[1 << 20];
        java.util.Arrays.fill(mebibyte, (byte) 'a');
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write('"');
            for (int i = 0; i < 256; i++) {
                gzip.write(mebibyte);
            }
        }
        bomb = out.toByteArray();
    }

    private static byte[] gzip(String text) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (GZIPOutputStream gzip = new GZIPOutputStream(out)) {
            gzip.write(text.getBytes(StandardCharsets.UTF_8));
        }
        return out.toByteArray();
    }

    private static byte[] rawDeflate(byte[] bytes) throws IOException {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        try (DeflaterOutputStream deflate = new DeflaterOutputStream(out, new Deflater(Deflater.DEFAULT_COMPRESSION,
                true))) {
            deflate.write(bytes);
        }
        return out.toByteArray();
    }

    private JdkClient orders() {
        return JdkClient.connect(Deployments.ws(base, "it/gzip-orders"));
    }

    private static Close closeOf(JdkClient client) throws Exception {
        return client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private String stats() throws Exception {
        return Deployments.get(base, "stats");
    }

    @Test
    void decodesGzippedJsonAndDeflatedTextIntact() throws Exception {
        String text = "caf\u00e9 😀 ".repeat(5000); // 55,000 UTF-8 bytes, within the 64 KiB text limit
        try (JdkClient client = orders(); JdkClient deflated = JdkClient.connect(Deployments.ws(base,
                "it/deflated-text"))) {
            client.sendBinary(gzip("{\"id\":\"A-😀\",\"quantities\":[1,2,39]}")).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            deflated.sendBinary(rawDeflate(text.getBytes(StandardCharsets.UTF_8))).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);

            assertThat(client.nextMessage(WAIT)).isEqualTo("A-😀:42");
            assertThat(deflated.nextMessage(WAIT)).isEqualTo(text);
        }
    }

    @Test
    void acceptsInflatedTextOfExactlyTheLimitAndRefusesOneByteMore() throws Exception {
        String exactly = "a".repeat(65536);
        try (JdkClient client = JdkClient.connect(Deployments.ws(base, "it/deflated-text"))) {
            client.sendBinary(rawDeflate(exactly.getBytes(StandardCharsets.US_ASCII))).get(WAIT.toSeconds(),
                    TimeUnit.SECONDS);
            assertThat(client.nextMessage(WAIT)).isEqualTo(exactly);

            client.sendBinary(rawDeflate((exactly + "a").getBytes(StandardCharsets.US_ASCII)));

            assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "text message exceeds 65536 bytes");
        }
    }

    @Test
    void refusesA256MiBBombWith1009EightAtOnceAndThenServesAFreshSession() throws Exception {
        assertThat(bomb.length).isLessThan(300 * 1024);
        List<JdkClient> clients = new ArrayList<>();
        try {
            for (int i = 0; i < 8; i++) {
                clients.add(orders());
            }
            clients.forEach(client -> client.sendBinary(bomb));
            for (JdkClient client : clients) {
                assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                        .containsExactly(1009, "text message exceeds 65536 bytes");
            }
        } finally {
            clients.forEach(JdkClient::close);
        }
        await().atMost(WAIT).untilAsserted(() -> assertThat(stats()).contains("\"bufferedBytes\":0"));

        try (JdkClient fresh = orders()) {
            fresh.sendBinary(gzip("{\"id\":\"after\",\"quantities\":[1]}")).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            assertThat(fresh.nextMessage(WAIT)).isEqualTo("after:1");
        }
    }

    @Test
    void closesWith1007ForDataThatIsNotGzipAndForTextThatIsNotUtf8() throws Exception {
        try (JdkClient client = orders(); JdkClient deflated = JdkClient.connect(Deployments.ws(base,
                "it/deflated-text"))) {
            client.sendBinary("{\"id\":\"plain\"}".getBytes(StandardCharsets.UTF_8));
            deflated.sendBinary(rawDeflate("caf\u00e9".getBytes(StandardCharsets.ISO_8859_1)));

            assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                    .containsExactly(1007, "binary message is not valid gzip data");
            assertThat(closeOf(deflated)).extracting(Close::code, Close::reason)
                    .containsExactly(1007, "inflated text is not valid UTF-8");
        }
    }
}
