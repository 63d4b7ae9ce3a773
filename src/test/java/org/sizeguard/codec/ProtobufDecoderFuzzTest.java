package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.ByteBuffer;
import java.time.Duration;

import com.code_intelligence.jazzer.junit.FuzzTest;
import com.google.protobuf.InvalidProtocolBufferException;
import com.google.protobuf.UnknownFieldSet;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;
import org.sizeguard.app.proto.Note;

/**
 * Arbitrary bytes into {@link ProtobufDecoder}, under small limits. It may refuse the input only with a
 * {@link SizeguardCloseException} (anything else, a {@code StackOverflowError} or an {@code OutOfMemoryError}
 * escapes and fails the test); what it accepts lies within the limits and is what protobuf-java's own parser reads
 * from the same bytes; what protobuf-java refuses, it refuses too.
 * <p>
 * Under plain {@code mvn test} Jazzer runs in regression mode: the seeds in
 * {@code src/test/resources/org/sizeguard/codec/ProtobufDecoderFuzzTestInputs/} and every crash it saved there.
 * With {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class ProtobufDecoderFuzzTest {

    private static final StructureLimits LIMITS = new StructureLimits(6, 40, 64);
    private static final MessageSizePolicy POLICY = new MessageSizePolicy("fuzz", 4096, 4096, 4096, 4096,
            Duration.ofSeconds(30), LIMITS);

    public static class NoteDecoder extends ProtobufDecoder<Note> {
        NoteDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    private final NoteDecoder notes = new NoteDecoder(POLICY);

    @FuzzTest(maxDuration = "60s")
    void decoderRefusesOnlyWithCloseExceptionsAndAgreesWithProtobufJava(byte[] input) {
        Note decoded = null;
        try {
            decoded = notes.decode(ByteBuffer.wrap(input));
        } catch (SizeguardCloseException refused) {
            // the one way to refuse
        }
        Note plain;
        try {
            plain = Note.parseFrom(input);
        } catch (InvalidProtocolBufferException malformed) {
            assertThat(decoded).as("what protobuf-java refuses").isNull();
            return;
        }
        if (decoded != null) {
            assertThat(decoded).isEqualTo(plain);
            assertThat(elements(decoded, 1)).isLessThanOrEqualTo(LIMITS.maxElements());
        }
    }

    /**
     * The fewest elements the wire must have held for this note (fields, packed elements and unknown fields; a
     * repeated occurrence of a singular field leaves one value); checks depth and value lengths on the way.
     */
    private static long elements(Note note, int depth) {
        assertThat(depth).isLessThanOrEqualTo(LIMITS.maxDepth());
        assertThat(note.getTextBytes().size()).isLessThanOrEqualTo((int) LIMITS.maxValueBytes());
        assertThat(note.getData().size()).isLessThanOrEqualTo((int) LIMITS.maxValueBytes());
        long count = (note.getText().isEmpty() ? 0 : 1) + (note.getData().isEmpty() ? 0 : 1)
                + note.getNumbersCount() + unknown(note.getUnknownFields(), depth);
        // An entry is one occurrence of the map field; its key and value count only when they were on the wire,
        // which a decoded entry shows only by being non-empty (an entry of neither decodes to "" -> "").
        for (var tag : note.getTagsMap().entrySet()) {
            count += 1 + (tag.getKey().isEmpty() ? 0 : 1) + (tag.getValue().isEmpty() ? 0 : 1);
        }
        if (note.getTagsCount() > 0) {
            assertThat(depth + 1).isLessThanOrEqualTo(LIMITS.maxDepth());
        }
        for (Note reply : note.getRepliesList()) {
            count += 1 + elements(reply, depth + 1);
        }
        return count;
    }

    private static long unknown(UnknownFieldSet fields, int depth) {
        long count = 0;
        for (UnknownFieldSet.Field field : fields.asMap().values()) {
            count += field.getVarintList().size() + field.getFixed32List().size() + field.getFixed64List().size();
            for (var bytes : field.getLengthDelimitedList()) {
                assertThat(bytes.size()).isLessThanOrEqualTo((int) LIMITS.maxValueBytes());
                count++;
            }
            for (UnknownFieldSet group : field.getGroupList()) {
                assertThat(depth + 1).isLessThanOrEqualTo(LIMITS.maxDepth());
                count += 1 + unknown(group, depth + 1);
            }
        }
        return count;
    }
}
