package org.sizeguard.app;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.app.proto.Note;
import org.sizeguard.codec.ProtobufDecoder;
import org.sizeguard.codec.ProtobufEncoder;

/**
 * Protocol Buffers in, the same {@link Note} out, under the default policy: the message and its shape (nesting,
 * fields, value lengths) are checked against the policy on the wire format before protobuf-java builds the note.
 * The schema is {@code src/main/proto/sizeguard_echo.proto}.
 */
@ServerEndpoint(value = "/protobuf", decoders = ProtobufEchoEndpoint.NoteDecoder.class,
        encoders = ProtobufEchoEndpoint.NoteEncoder.class)
public class ProtobufEchoEndpoint {

    /** Decodes {@link Note}s within the endpoint's policy. */
    public static class NoteDecoder extends ProtobufDecoder<Note> {
    }

    /** Encodes {@link Note}s. */
    public static class NoteEncoder extends ProtobufEncoder<Note> {
    }

    @OnMessage
    public Note echo(Note note) {
        return note;
    }
}
