package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.Reader;
import java.nio.ByteBuffer;

import jakarta.websocket.CloseReason;
import jakarta.websocket.Decoder;
import jakarta.websocket.OnClose;
import jakarta.websocket.OnError;
import jakarta.websocket.OnMessage;
import jakarta.websocket.Session;
import jakarta.websocket.server.PathParam;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.EndpointModel.Delivery;
import org.sizeguard.internal.EndpointModel.MessageMethod;
import org.sizeguard.internal.EndpointModel.Payload;

class EndpointModelTest {

    @ServerEndpoint("/rooms/{seats}")
    public static class Counter {
        Throwable lastError;
        CloseReason lastClose;

        @OnMessage
        public long add(@PathParam("seats") int seats, int amount, Session session) {
            return session == null ? -1 : (long) seats + amount;
        }

        @OnClose
        public void closed(CloseReason reason) {
            lastClose = reason;
        }

        @OnError
        public void failed(Session session, Throwable error) {
            lastError = error;
        }
    }

    @ServerEndpoint("/hidden")
    static class Hidden {
        @OnMessage
        public String shout(String text) {
            return text.toUpperCase();
        }
    }

    @ServerEndpoint("/failing")
    public static class Failing {
        @OnMessage
        public void fail(ByteBuffer bytes) throws IOException {
            throw new IOException("the author's own failure");
        }
    }

    @ServerEndpoint("/modes")
    public static class Modes {
        @OnMessage
        public void text(Reader reader) {
            // Only the binding is looked at.
        }

        @OnMessage
        public void binary(byte[] part, boolean last) {
            // Only the binding is looked at.
        }
    }

    private final FakeSession fake = new FakeSession();

    @Test
    void bindsPathParametersAndPrimitivesInsideOneHandleAndReturnsTheResultBoxed() throws Throwable {
        fake.pathParameters.put("seats", "40");
        MessageMethod add = EndpointModel.of(Counter.class).messageMethod(MessageKind.TEXT).orElseThrow();

        Object result = add.call(new Counter(), fake.session, 2, true);

        assertThat(result).isEqualTo(42L);
    }

    @Test
    void decodesAPrimitivePayloadWithSizeguardsOwnDecoderLikeAnyDeclaredOne() throws Exception {
        MessageMethod add = EndpointModel.of(Counter.class).messageMethod(MessageKind.TEXT).orElseThrow();

        assertThat(add.payload()).isEqualTo(Payload.DECODED);
        assertThat(add.delivery()).isEqualTo(Delivery.WHOLE);
        @SuppressWarnings("unchecked")
        Decoder.Text<Object> decoder = (Decoder.Text<Object>) add.decoders().get(0).shared();
        assertThat(decoder.decode(" 7 ")).isEqualTo(7);
        assertThatThrownBy(() -> decoder.decode("seven")).isInstanceOf(UndecodableMessageException.class)
                .hasMessage("text message is not a int");
    }

    @Test
    void bindsLifecycleMethodsToTheArgumentsTheyDeclareAndAVoidResultToNull() throws Throwable {
        EndpointModel model = EndpointModel.of(Counter.class);
        Counter counter = new Counter();
        CloseReason reason = new CloseReason(CloseReason.CloseCodes.NORMAL_CLOSURE, "bye");
        IllegalStateException error = new IllegalStateException("boom");

        Object closed = model.onClose().orElseThrow().call(counter, fake.session, null, reason, null);
        model.onError().orElseThrow().call(counter, fake.session, null, null, error);

        assertThat(closed).isNull();
        assertThat(counter.lastClose).isSameAs(reason);
        assertThat(counter.lastError).isSameAs(error);
    }

    @Test
    void callsAPublicMethodOfAnEndpointClassThatIsNotPublic() throws Throwable {
        MessageMethod shout = EndpointModel.of(Hidden.class).messageMethod(MessageKind.TEXT).orElseThrow();

        assertThat(shout.call(new Hidden(), fake.session, "quiet", true)).isEqualTo("QUIET");
    }

    @Test
    void throwsWhatTheMethodThrowsUnwrapped() {
        MessageMethod fail = EndpointModel.of(Failing.class).messageMethod(MessageKind.BINARY).orElseThrow();

        assertThatThrownBy(() -> fail.call(new Failing(), fake.session, ByteBuffer.allocate(1), true))
                .isInstanceOf(IOException.class).hasMessage("the author's own failure");
    }

    @Test
    void choosesTheDeliveryModeFromTheMethodsParameters() {
        EndpointModel model = EndpointModel.of(Modes.class);

        assertThat(model.messageMethod(MessageKind.TEXT).orElseThrow().delivery()).isEqualTo(Delivery.STREAM);
        assertThat(model.messageMethod(MessageKind.BINARY).orElseThrow().delivery()).isEqualTo(Delivery.PARTS);
        assertThat(model.messageMethod(MessageKind.BINARY).orElseThrow().incremental()).isTrue();
    }

    /** Binary messages decoded into a String (a compressed text, say). */
    public static final class BinaryToString implements Decoder.Binary<String> {
        @Override
        public String decode(ByteBuffer bytes) {
            return "decoded";
        }

        @Override
        public boolean willDecode(ByteBuffer bytes) {
            return true;
        }
    }

    @ServerEndpoint(value = "/decoded-strings", decoders = BinaryToString.class)
    public static class DecodedStrings {
        @OnMessage
        public String echo(String text) {
            return text;
        }
    }

    @Test
    void givesAStringParameterToADeclaredDecoderThatProducesStrings() {
        EndpointModel model = EndpointModel.of(DecodedStrings.class);

        MessageMethod method = model.messageMethod(MessageKind.BINARY).orElseThrow();
        assertThat(method.payload()).isEqualTo(Payload.DECODED);
        assertThat(model.messageMethod(MessageKind.TEXT)).isEmpty();
        assertThat(EndpointModel.of(Modes.class).messageMethod(MessageKind.TEXT).orElseThrow().payload())
                .isNotEqualTo(Payload.DECODED);
    }
}
