package org.sizeguard.it.endpoints;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;
import org.sizeguard.app.proto.Note;
import org.sizeguard.codec.ProtobufDecoder;
import org.sizeguard.codec.ProtobufEncoder;

/**
 * Protocol Buffers notes echoed under small structure limits: the decoder must receive this endpoint's policy through
 * CDI for them to apply.
 */
@ServerEndpoint(value = "/it/protobuf", decoders = ProtobufNotes.NoteDecoder.class,
        encoders = ProtobufNotes.NoteEncoder.class)
@SizePolicy(value = "protobuf", maxNestingDepth = "8", maxElements = "100", maxValueSize = "64")
public class ProtobufNotes {

    public static class NoteDecoder extends ProtobufDecoder<Note> {
    }

    public static class NoteEncoder extends ProtobufEncoder<Note> {
    }

    @OnMessage
    public Note echo(Note note) {
        return note;
    }
}
