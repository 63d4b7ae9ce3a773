package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.URL;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

import com.google.protobuf.ByteString;

import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;
import org.sizeguard.app.proto.Note;
import org.sizeguard.testclient.JdkClient;
import org.sizeguard.testclient.RawWebSocketClient.Close;

/**
 * The Protocol Buffers decoder and encoder on the real server: the WAR's {@code /protobuf} echoes a note byte for
 * byte; structure limits come from the endpoint's policy (which reaches the decoder through CDI), lying lengths and
 * malformed input are 1007, a message over the binary limit 1009.
 */
@ExtendWith(ArquillianExtension.class)
class ProtobufIT {

    private static final Duration WAIT = Duration.ofSeconds(30);

    @ArquillianResource
    URL base;

    @Deployment(testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithTestEndpoints();
    }

    private JdkClient small() {
        return JdkClient.connect(Deployments.ws(base, "it/protobuf"));
    }

    private static Close closeOf(JdkClient client) throws Exception {
        return client.closed().get(WAIT.toSeconds(), TimeUnit.SECONDS);
    }

    private static Note nested(int levels) {
        Note note = Note.newBuilder().setText("leaf").build();
        for (int level = 1; level < levels; level++) {
            note = Note.newBuilder().addReplies(note).build();
        }
        return note;
    }

    @Test
    void echoesANoteByteForByteOnTheWarsOwnEndpoint() throws Exception {
        Note note = Note.newBuilder().setText("caf\u00e9 😀").setData(ByteString.copyFrom(new byte[] {0, -1, 7}))
                .addReplies(Note.newBuilder().setText("reply").putTags("k", "v")).addNumbers(-3).addNumbers(1L << 40)
                .build();
        try (JdkClient client = JdkClient.connect(Deployments.ws(base, "protobuf"))) {
            client.sendBinary(note.toByteArray()).get(WAIT.toSeconds(), TimeUnit.SECONDS);

            byte[] answer = (byte[]) client.nextMessage(WAIT);
            assertThat(answer).isEqualTo(note.toByteArray());
            assertThat(Note.parseFrom(answer)).isEqualTo(note);
        }
    }

    @Test
    void closesWith1009WhenNestingExceedsTheEndpointsPolicyInjectedIntoTheDecoder() throws Exception {
        try (JdkClient client = small()) {
            client.sendBinary(nested(8).toByteArray()).get(WAIT.toSeconds(), TimeUnit.SECONDS);
            assertThat(Note.parseFrom((byte[]) client.nextMessage(WAIT))).isEqualTo(nested(8));

            client.sendBinary(nested(9).toByteArray());

            assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "Protocol Buffers nesting exceeds 8 levels");
        }
    }

    @Test
    void closesWith1009WhenTheMessageHasMoreElementsThanThePolicyAllows() throws Exception {
        Note.Builder many = Note.newBuilder();
        for (int i = 0; i < 101; i++) {
            many.addReplies(Note.getDefaultInstance());
        }
        try (JdkClient client = small()) {
            client.sendBinary(many.build().toByteArray());

            assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "Protocol Buffers message of 101 elements exceeds 100 elements");
        }
    }

    @Test
    void closesWith1007WhenALengthLiesAboutTheBytesLeft() throws Exception {
        try (JdkClient client = small()) {
            client.sendBinary(new byte[] {0x0a, 50, 'a', 'b', 'c'});

            assertThat(closeOf(client)).extracting(Close::code, Close::reason).containsExactly(1007,
                    "Protocol Buffers could not be decoded as Note: the message ends inside a field");
        }
    }

    @Test
    void closesWith1009WhenTheMessageExceedsTheBinaryLimit() throws Exception {
        byte[] oneMebibyteAndMore = Note.newBuilder().setData(ByteString.copyFrom(new byte[1 << 20])).build()
                .toByteArray();
        try (JdkClient client = JdkClient.connect(Deployments.ws(base, "protobuf"))) {
            client.sendBinary(oneMebibyteAndMore);

            assertThat(closeOf(client)).extracting(Close::code, Close::reason)
                    .containsExactly(1009, "binary message exceeds 1048576 bytes");
        }
    }
}
