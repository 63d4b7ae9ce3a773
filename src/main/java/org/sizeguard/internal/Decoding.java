package org.sizeguard.internal;

import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.List;

import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;

import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.EndpointModel.MessageMethod;

/**
 * Turns a message into the argument a method takes: as it is, converted, or through the method's decoders (built
 * once per session, in the order the endpoint declares them; a primitive's decoder is Sizeguard's own). What cannot
 * be decoded is an {@link UndecodableMessageException} (1007) naming the type.
 */
final class Decoding {

    /** The argument for a method that takes a whole message; may throw a {@code SizeguardCloseException}. */
    @FunctionalInterface
    interface Whole<P> {
        Object payload(P message);
    }

    /** The argument for a method that reads a message from a stream; may block on the stream. */
    @FunctionalInterface
    interface Streamed<S> {
        Object payload(S stream) throws DecodeException, IOException;
    }

    private Decoding() {
    }

    /** For a whole text message: the string itself, or decoded. */
    static Whole<String> text(MessageMethod method, List<Decoder> decoders) {
        if (method.payload() == EndpointModel.Payload.STRING) {
            return text -> text;
        }
        Decoder[] chain = decoders.toArray(Decoder[]::new);
        return text -> decode(method, chain, text, null);
    }

    /** For a whole binary message: the buffer, its bytes, or decoded. */
    static Whole<ByteBuffer> binary(MessageMethod method, List<Decoder> decoders) {
        return switch (method.payload()) {
            case BYTE_BUFFER -> bytes -> bytes;
            case BYTES -> PartFormat::bytes;
            default -> {
                Decoder[] chain = decoders.toArray(Decoder[]::new);
                yield bytes -> decode(method, chain, null, bytes);
            }
        };
    }

    /** For a text message read as a stream: the reader itself, or what the method's stream decoder reads. */
    @SuppressWarnings("unchecked")
    static Streamed<Reader> textStream(MessageMethod method, List<Decoder> decoders) {
        if (method.payload() == EndpointModel.Payload.READER) {
            return reader -> reader;
        }
        Decoder.TextStream<Object> decoder = (Decoder.TextStream<Object>) decoders.get(0);
        return decoder::decode;
    }

    /** For a binary message read as a stream: the stream itself, or what the method's stream decoder reads. */
    @SuppressWarnings("unchecked")
    static Streamed<InputStream> binaryStream(MessageMethod method, List<Decoder> decoders) {
        if (method.payload() == EndpointModel.Payload.INPUT_STREAM) {
            return stream -> stream;
        }
        Decoder.BinaryStream<Object> decoder = (Decoder.BinaryStream<Object>) decoders.get(0);
        return decoder::decode;
    }

    /** The exception for a message that {@code method}'s decoders could not decode. */
    static UndecodableMessageException undecodable(MessageMethod method, Exception cause) {
        String what = method.kind().description() + " could not be decoded as " + method.payloadType().getSimpleName();
        return new UndecodableMessageException(cause == null ? what : what + ": " + cause.getMessage(), cause);
    }

    /**
     * The first decoder of {@code chain} that will decode the message decodes it (Jakarta WebSocket 2.1 §4.1.3:
     * {@code willDecode} decides for text and binary decoders; a stream decoder takes any message).
     */
    @SuppressWarnings({"unchecked", "rawtypes"})
    private static Object decode(MessageMethod method, Decoder[] chain, String text, ByteBuffer binary) {
        try {
            for (Decoder decoder : chain) {
                if (decoder instanceof Decoder.Text textDecoder && textDecoder.willDecode(text)) {
                    return textDecoder.decode(text);
                }
                if (decoder instanceof Decoder.TextStream streamDecoder) {
                    return streamDecoder.decode(new StringReader(text));
                }
                if (decoder instanceof Decoder.Binary binaryDecoder && binaryDecoder.willDecode(binary.duplicate())) {
                    return binaryDecoder.decode(binary);
                }
                if (decoder instanceof Decoder.BinaryStream streamDecoder) {
                    return streamDecoder.decode(new ByteArrayInputStream(PartFormat.bytes(binary)));
                }
            }
        } catch (DecodeException | IOException e) {
            throw undecodable(method, e);
        }
        throw undecodable(method, null);
    }
}
