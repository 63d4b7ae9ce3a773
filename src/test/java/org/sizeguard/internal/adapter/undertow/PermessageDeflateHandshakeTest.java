package org.sizeguard.internal.adapter.undertow;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.util.List;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;
import java.util.zip.Inflater;

import io.undertow.websockets.WebSocketExtension;
import io.undertow.websockets.WebSocketExtension.Parameter;
import io.undertow.websockets.extensions.ExtensionHandshake;

import org.junit.jupiter.api.Test;

class PermessageDeflateHandshakeTest {

    private final PermessageDeflateHandshake handshake = new PermessageDeflateHandshake(new DeflaterPool(2));

    private static WebSocketExtension offer(Parameter... parameters) {
        return new WebSocketExtension("permessage-deflate", List.of(parameters));
    }

    @Test
    void answersEveryOfferItHonoursWithoutContextTakeoverInEitherDirection() {
        for (WebSocketExtension offer : List.of(offer(), offer(new Parameter("client_max_window_bits", null)),
                offer(new Parameter("client_max_window_bits", "10")),
                offer(new Parameter("server_max_window_bits", "15"), new Parameter("server_no_context_takeover", null)),
                offer(new Parameter("client_no_context_takeover", null)))) {
            WebSocketExtension answer = handshake.accept(offer);

            assertThat(answer.getName()).isEqualTo("permessage-deflate");
            assertThat(answer.getParameters()).extracting(Parameter::getName)
                    .containsExactly("server_no_context_takeover", "client_no_context_takeover");
        }
    }

    @Test
    void declinesWhatItCannotHonourRatherThanMisbehave() {
        assertThat(handshake.accept(offer(new Parameter("server_max_window_bits", "10")))).isNull();
        assertThat(handshake.accept(offer(new Parameter("server_max_window_bits", null)))).isNull();
        assertThat(handshake.accept(offer(new Parameter("client_max_window_bits", "16")))).isNull();
        assertThat(handshake.accept(offer(new Parameter("server_no_context_takeover", "yes")))).isNull();
        assertThat(handshake.accept(offer(new Parameter("mystery", null)))).isNull();
        assertThat(handshake.accept(offer(new Parameter("client_no_context_takeover", null),
                new Parameter("client_no_context_takeover", null)))).isNull();
        assertThat(handshake.accept(new WebSocketExtension("x-webkit-deflate-frame", List.of()))).isNull();
    }

    @Test
    void acceptsOnlyOnePermessageDeflatePerConnection() {
        ExtensionHandshake other = new PermessageDeflateHandshake(new DeflaterPool(1));

        assertThat(handshake.isIncompatible(List.of())).isFalse();
        assertThat(handshake.isIncompatible(List.of(other))).isTrue();
    }

    @Test
    void lendsAtMostItsSizeOfDeflatersAndReusesThem() {
        DeflaterPool pool = new DeflaterPool(2);
        Deflater first = pool.borrow();
        Deflater second = pool.borrow();

        assertThat(pool.borrow()).isNull();
        pool.giveBack(first);
        assertThat(pool.borrow()).isSameAs(first);
        assertThat(pool.created()).isEqualTo(2);
        second.end();
    }

    @Test
    void writesStoredBlocksThatInflateToTheDataForAnyLength() throws DataFormatException {
        Random random = new Random(3);
        for (int length : new int[] {0, 1, 65_535, 65_536, 200_001}) {
            byte[] data = new byte[length];
            random.nextBytes(data);

            ByteBuffer blocks = PermessageDeflateConnection.storedBlocks(ByteBuffer.wrap(data));

            assertThat(inflate(blocks)).isEqualTo(data);
        }
    }

    /** As a client does: the payload and the four bytes RFC 7692 7.2.2 appends. */
    private static byte[] inflate(ByteBuffer payload) throws DataFormatException {
        Inflater inflater = new Inflater(true);
        try {
            byte[] input = new byte[payload.remaining() + 4];
            payload.get(input, 0, input.length - 4);
            input[input.length - 2] = (byte) 0xff;
            input[input.length - 1] = (byte) 0xff;
            inflater.setInput(input);
            ByteArrayOutputStream out = new ByteArrayOutputStream();
            byte[] buffer = new byte[8192];
            while (!inflater.needsInput()) {
                out.write(buffer, 0, inflater.inflate(buffer));
            }
            return out.toByteArray();
        } finally {
            inflater.end();
        }
    }
}
