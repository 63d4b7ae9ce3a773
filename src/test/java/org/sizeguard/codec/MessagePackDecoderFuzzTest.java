package org.sizeguard.codec;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.nio.ByteBuffer;
import java.time.Duration;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.List;
import java.util.Map;

import com.code_intelligence.jazzer.junit.FuzzTest;

import org.msgpack.value.Value;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.StructureLimits;

/**
 * Arbitrary bytes into the MessagePack decoders, under small limits. A decoder may refuse the input only with a
 * {@link SizeguardCloseException} (any other exception, a {@code StackOverflowError} or an
 * {@code OutOfMemoryError} escapes and fails the test), and what it accepts must lie within the limits.
 * <p>
 * Under plain {@code mvn test} Jazzer runs in regression mode: the seeds in
 * {@code src/test/resources/org/sizeguard/codec/MessagePackDecoderFuzzTestInputs/} and every crash it saved there.
 * With {@code JAZZER_FUZZ=1} it fuzzes for {@code maxDuration}.
 */
class MessagePackDecoderFuzzTest {

    private static final StructureLimits LIMITS = new StructureLimits(6, 40, 64);
    private static final MessageSizePolicy POLICY = new MessageSizePolicy("fuzz", 4096, 4096, 4096, 4096,
            Duration.ofSeconds(30), LIMITS);

    /**
     * A typed target with every shape JSON-B binds: scalars, lists, maps, bytes, recursion. A class with public
     * fields, not a record: Jazzer's instrumentation drops the {@code MethodParameters} attribute, and JSON-B binds a
     * record through its constructor's parameter names.
     */
    public static class Node {
        public String name;
        public long number;
        public Double ratio;
        public Boolean flag;
        public List<String> tags;
        public Map<String, Integer> counts;
        public byte[] data;
        public List<Node> children;
    }

    public static class NodeDecoder extends MessagePackDecoder<Node> {
        NodeDecoder(MessageSizePolicy policy) {
            super(policy);
        }
    }

    private final MessagePackValueDecoder values = new MessagePackValueDecoder(POLICY);
    private final NodeDecoder nodes = new NodeDecoder(POLICY);

    @FuzzTest(maxDuration = "60s")
    void decodersRefuseOnlyWithCloseExceptionsAndKeepWithinTheLimits(byte[] input) throws IOException {
        Value value = null;
        try {
            value = values.decode(ByteBuffer.wrap(input));
        } catch (SizeguardCloseException refused) {
            // the one way to refuse
        }
        if (value != null) {
            assertWithinLimits(value);
            // Packed again, the value takes at most the input's bytes (smallest formats) and reads back to the same
            // bytes (compared as bytes: a NaN is not equal to itself as a Value).
            byte[] again = MessagePackValueEncoder.pack(value);
            assertThat(again.length).isLessThanOrEqualTo(input.length);
            assertThat(MessagePackValueEncoder.pack(values.decode(ByteBuffer.wrap(again)))).isEqualTo(again);
        }

        try {
            Node node = nodes.decode(ByteBuffer.wrap(input));
            if (node != null) {
                assertWithinLimits(node, 1);
                assertBoundFrom(value, node);
            }
        } catch (SizeguardCloseException refused) {
            // the one way to refuse
        }
    }

    /** Depth, element total and value lengths of an accepted value, walked without recursion. */
    private static void assertWithinLimits(Value root) {
        record At(Value value, int depth) {
        }
        Deque<At> pending = new ArrayDeque<>();
        pending.push(new At(root, 0));
        long elements = 0;
        while (!pending.isEmpty()) {
            At at = pending.pop();
            Value value = at.value();
            if (value.isArrayValue()) {
                assertThat(at.depth() + 1).isLessThanOrEqualTo(LIMITS.maxDepth());
                elements += value.asArrayValue().size();
                value.asArrayValue().forEach(element -> pending.push(new At(element, at.depth() + 1)));
            } else if (value.isMapValue()) {
                assertThat(at.depth() + 1).isLessThanOrEqualTo(LIMITS.maxDepth());
                elements += value.asMapValue().size();
                value.asMapValue().map(); // touches every entry
                for (Value keyOrValue : value.asMapValue().getKeyValueArray()) {
                    pending.push(new At(keyOrValue, at.depth() + 1));
                }
            } else if (value.isStringValue() || value.isBinaryValue()) {
                assertThat(value.asRawValue().asByteArray().length).isLessThanOrEqualTo((int) LIMITS.maxValueBytes());
            } else if (value.isExtensionValue()) {
                assertThat(value.asExtensionValue().getData().length).isLessThanOrEqualTo((int) LIMITS.maxValueBytes());
            }
        }
        assertThat(elements).isLessThanOrEqualTo(LIMITS.maxElements());
    }

    /** The typed decoder binds what the value decoder read: a top-level string {@code name} arrives as it was. */
    private static void assertBoundFrom(Value value, Node node) {
        if (value == null || !value.isMapValue()) {
            return;
        }
        Value[] keysAndValues = value.asMapValue().getKeyValueArray();
        Value name = null;
        int names = 0;
        for (int i = 0; i < keysAndValues.length; i += 2) {
            if (keysAndValues[i].isStringValue() && keysAndValues[i].asStringValue().asString().equals("name")) {
                name = keysAndValues[i + 1];
                names++;
            }
        }
        if (names == 1 && name.isStringValue()) {
            assertThat(node.name).isEqualTo(name.asStringValue().asString());
        }
    }

    private static void assertWithinLimits(Node node, int depth) {
        assertThat(depth).isLessThanOrEqualTo(LIMITS.maxDepth());
        if (node.name != null) {
            assertThat(node.name.length()).isLessThanOrEqualTo((int) LIMITS.maxValueBytes());
        }
        if (node.tags != null) {
            assertThat(node.tags.size()).isLessThanOrEqualTo((int) LIMITS.maxElements());
        }
        if (node.counts != null) {
            assertThat(node.counts.size()).isLessThanOrEqualTo((int) LIMITS.maxElements());
        }
        if (node.data != null) {
            // base64 of at most maxValueBytes characters decodes to fewer bytes
            assertThat(node.data.length).isLessThanOrEqualTo((int) LIMITS.maxValueBytes());
        }
        if (node.children != null) {
            assertThat(node.children.size()).isLessThanOrEqualTo((int) LIMITS.maxElements());
            for (Node child : node.children) {
                if (child != null) {
                    assertWithinLimits(child, depth + 1);
                }
            }
        }
    }
}
