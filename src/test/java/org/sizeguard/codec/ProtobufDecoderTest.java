package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;

import jakarta.websocket.CloseReason.CloseCodes;

import com.google.protobuf.ByteString;
import com.google.protobuf.CodedOutputStream;
import com.google.protobuf.WireFormat;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.StructureTooBigException;
import org.sizeguard.app.proto.Note;

class ProtobufDecoderTest {

    /** Depth 8, 100 elements, values of 64 bytes, messages of 4 KiB. */
    private static final MessageSizePolicy SMALL = new MessageSizePolicy("small", 4096, 4096, 4096, 4096,
            Duration.ZERO, new StructureLimits(8, 100, 64));

    public static class NoteDecoder extends ProtobufDecoder<Note> {
        public NoteDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    public static class NoteEncoder extends ProtobufEncoder<Note> {
    }

    private static Note decode(byte[] message) {
        return decode(SMALL, message);
    }

    private static Note decode(MessageSizePolicy policy, byte[] message) {
        NoteDecoder decoder = new NoteDecoder(policy);
        decoder.init(null);
        return decoder.decode(ByteBuffer.wrap(message));
    }

    private static Note nested(int levels) {
        Note note = Note.newBuilder().setText("leaf").build();
        for (int level = 1; level < levels; level++) {
            note = Note.newBuilder().addReplies(note).build();
        }
        return note;
    }

    @FunctionalInterface
    private interface Writing {
        void write(CodedOutputStream out) throws IOException;
    }

    private static byte[] wire(Writing writing) throws IOException {
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        CodedOutputStream out = CodedOutputStream.newInstance(bytes);
        writing.write(out);
        out.flush();
        return bytes.toByteArray();
    }

    private static void assertRefused(byte[] message, CloseCodes code, String reason) {
        assertThatThrownBy(() -> decode(message))
                .isInstanceOfSatisfying(SizeguardCloseException.class, refused -> {
                    assertThat(refused.closeCode()).isEqualTo(code);
                    assertThat(refused.closeReason().getReasonPhrase()).isEqualTo(reason);
                });
    }

    @Test
    void decodesWhatTheEncoderWroteFieldForField() {
        Note note = Note.newBuilder().setText("caf\u00e9 😀").setData(ByteString.copyFrom(new byte[] {0, 1, -1}))
                .addReplies(Note.newBuilder().setText("reply").putTags("k", "v")).putTags("lang", "fr")
                .addNumbers(-1).addNumbers(Long.MAX_VALUE).build();

        ByteBuffer encoded = new NoteEncoder().encode(note);

        assertThat(new NoteDecoder(SMALL).decode(encoded)).isEqualTo(note);
        assertThat(encoded.position()).isZero();
    }

    @Test
    void decodesAnEmptyMessageAsTheDefaultNote() {
        assertThat(decode(new byte[0])).isEqualTo(Note.getDefaultInstance());
    }

    @Test
    void refusesAMessageOverTheBinaryLimitBeforeParsingIt() {
        byte[] tooBig = new byte[4097];

        assertThatThrownBy(() -> decode(tooBig)).isInstanceOfSatisfying(MessageTooBigException.class, refused -> {
            assertThat(refused.closeCode()).isEqualTo(CloseCodes.TOO_BIG);
            assertThat(refused.closeReason().getReasonPhrase()).isEqualTo("binary message exceeds 4096 bytes");
        });
    }

    @Test
    void acceptsThePolicysDepthAndRefusesOneLevelMore() {
        assertThat(decode(nested(8).toByteArray())).isEqualTo(nested(8));

        assertRefused(nested(9).toByteArray(), CloseCodes.TOO_BIG, "Protocol Buffers nesting exceeds 8 levels");
    }

    @Test
    void countsAMapEntryAsALevelAsProtobufJavaDoes() {
        Note note = Note.newBuilder().putTags("k", "v").build();
        for (int level = 1; level < 8; level++) {
            note = Note.newBuilder().addReplies(note).build();
        }

        assertRefused(note.toByteArray(), CloseCodes.TOO_BIG, "Protocol Buffers nesting exceeds 8 levels");
    }

    @Test
    void neverAcceptsDeeperNestingThanProtobufJavasRecursionLimit() {
        MessageSizePolicy deep = new MessageSizePolicy("deep", 1 << 20, 1 << 20, 1 << 20, 1 << 20, Duration.ZERO,
                new StructureLimits(1000, 100_000, 1 << 20));

        assertThat(decode(deep, nested(100).toByteArray())).isEqualTo(nested(100));
        assertThatThrownBy(() -> decode(deep, nested(101).toByteArray()))
                .isInstanceOf(StructureTooBigException.class)
                .hasMessageContaining("Protocol Buffers nesting exceeds 100 levels");
    }

    @Test
    void refusesNestedUnknownGroupsBeyondTheDepth() throws IOException {
        byte[] groups = wire(out -> {
            for (int level = 0; level < 9; level++) {
                out.writeTag(9, WireFormat.WIRETYPE_START_GROUP);
            }
            for (int level = 0; level < 9; level++) {
                out.writeTag(9, WireFormat.WIRETYPE_END_GROUP);
            }
        });

        assertRefused(groups, CloseCodes.TOO_BIG, "Protocol Buffers nesting exceeds 8 levels");
    }

    @Test
    void countsEveryPackedElementAgainstTheElementLimit() {
        Note.Builder hundred = Note.newBuilder();
        for (int i = 0; i < 99; i++) {
            hundred.addNumbers(i);
        }
        assertThat(decode(hundred.build().toByteArray()).getNumbersCount()).isEqualTo(99); // + the field itself

        assertRefused(hundred.addNumbers(99).build().toByteArray(), CloseCodes.TOO_BIG,
                "Protocol Buffers message of 101 elements exceeds 100 elements");
    }

    @Test
    void countsEmptySubMessagesAndUnknownFieldsAsElements() throws IOException {
        Note.Builder replies = Note.newBuilder();
        for (int i = 0; i < 101; i++) {
            replies.addReplies(Note.getDefaultInstance());
        }
        byte[] unknown = wire(out -> {
            for (int i = 0; i < 101; i++) {
                out.writeUInt64(77, i);
            }
        });

        assertRefused(replies.build().toByteArray(), CloseCodes.TOO_BIG,
                "Protocol Buffers message of 101 elements exceeds 100 elements");
        assertRefused(unknown, CloseCodes.TOO_BIG, "Protocol Buffers message of 101 elements exceeds 100 elements");
    }

    @Test
    void refusesAValueLongerThanThePolicyAllowsByItsNameOrNumber() throws IOException {
        Note sixtyFour = Note.newBuilder().setData(ByteString.copyFrom(new byte[64])).build();
        assertThat(decode(sixtyFour.toByteArray())).isEqualTo(sixtyFour);

        assertRefused(Note.newBuilder().setData(ByteString.copyFrom(new byte[65])).build().toByteArray(),
                CloseCodes.TOO_BIG, "Protocol Buffers field data of 65 bytes exceeds 64 bytes");
        assertRefused(wire(out -> out.writeByteArray(99, new byte[65])), CloseCodes.TOO_BIG,
                "Protocol Buffers field 99 of 65 bytes exceeds 64 bytes");
    }

    @Test
    void refusesALengthThatLiesAboutTheBytesLeft() throws IOException {
        byte[] lying = wire(out -> {
            out.writeTag(1, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(50);
            out.writeRawBytes(new byte[] {'a', 'b', 'c'});
        });
        byte[] lyingHuge = wire(out -> {
            out.writeTag(3, WireFormat.WIRETYPE_LENGTH_DELIMITED);
            out.writeUInt32NoTag(Integer.MAX_VALUE);
            out.writeRawBytes(new byte[] {'a', 'b', 'c'});
        });

        assertRefused(lying, CloseCodes.NOT_CONSISTENT,
                "Protocol Buffers could not be decoded as Note: the message ends inside a field");
        assertRefused(lyingHuge, CloseCodes.NOT_CONSISTENT,
                "Protocol Buffers could not be decoded as Note: the message ends inside a field");
    }

    @Test
    void refusesMalformedWireDataWith1007() throws IOException {
        byte[] cutVarint = {0x08, -1};
        byte[] badWireType = {(0x01 << 3) | 7, 0};
        byte[] zeroTag = {0x00, 0x01};
        byte[] strayEndGroup = wire(out -> out.writeTag(4, WireFormat.WIRETYPE_END_GROUP));
        byte[] openGroup = wire(out -> out.writeTag(4, WireFormat.WIRETYPE_START_GROUP));
        byte[] notUtf8 = wire(out -> out.writeByteArray(1, new byte[] {'o', 'k', (byte) 0xC3}));

        String prefix = "Protocol Buffers could not be decoded as Note: ";
        assertRefused(cutVarint, CloseCodes.NOT_CONSISTENT, prefix + "the message ends inside a field");
        assertRefused(badWireType, CloseCodes.NOT_CONSISTENT, prefix + "field 1 has invalid wire type 7");
        assertRefused(zeroTag, CloseCodes.NOT_CONSISTENT, prefix + "a tag is zero");
        assertRefused(strayEndGroup, CloseCodes.NOT_CONSISTENT, prefix + "a group ends that was not started");
        assertRefused(openGroup, CloseCodes.NOT_CONSISTENT, prefix + "the message ends inside a group");
        assertRefused(notUtf8, CloseCodes.NOT_CONSISTENT, prefix + "a string is not valid UTF-8");
    }

    @Test
    void findsThePolicyItIsGivenAndTheMessageClassOfItsDeclaration() {
        NoteDecoder decoder = new NoteDecoder(SMALL);

        assertThat(decoder.policy()).isSameAs(SMALL);
        assertThat(decoder.type()).isEqualTo(Note.class);
    }
}
