package org.sizeguard.internal;

import java.io.ByteArrayInputStream;
import java.io.InputStream;
import java.io.Reader;
import java.io.StringReader;
import java.nio.ByteBuffer;
import java.util.function.Function;
import java.util.function.ToLongFunction;

import org.sizeguard.MessageKind;

/**
 * What the message sinks need to know about the parts of one kind of message, as the container delivers them
 * ({@code String} for text, {@code ByteBuffer} for binary): how to count and join them, how to keep one beyond the
 * container's handler, and how to read a message as a stream ({@code Reader}, {@code InputStream}). Two instances,
 * {@link #TEXT} and {@link #BINARY}; stateless.
 *
 * @param <P> a part
 * @param <S> the stream a message of this kind is read from
 */
final class PartFormat<P, S> {

    static final PartFormat<String, Reader> TEXT = new PartFormat<>(MessageKind.TEXT, MessageAssembler::text,
            part -> part, part -> 2L * part.length(), StringReader::new, PartPipe::reader);

    static final PartFormat<ByteBuffer, InputStream> BINARY = new PartFormat<>(MessageKind.BINARY,
            MessageAssembler::binary, part -> ByteBuffer.wrap(bytes(part)), ByteBuffer::remaining,
            part -> new ByteArrayInputStream(bytes(part)), PartPipe::inputStream);

    /** Makes an assembler of messages of at most {@code limit} bytes. */
    interface Assemblers<P> {
        MessageAssembler<P> create(long limit, MemoryBudget budget);
    }

    private final MessageKind kind;
    private final Assemblers<P> assemblers;
    private final Function<P, P> keep;
    private final ToLongFunction<P> heapBytes;
    private final Function<P, S> wholeStream;
    private final Function<PartPipe<P>, S> pipeStream;

    private PartFormat(MessageKind kind, Assemblers<P> assemblers, Function<P, P> keep, ToLongFunction<P> heapBytes,
            Function<P, S> wholeStream, Function<PartPipe<P>, S> pipeStream) {
        this.kind = kind;
        this.assemblers = assemblers;
        this.keep = keep;
        this.heapBytes = heapBytes;
        this.wholeStream = wholeStream;
        this.pipeStream = pipeStream;
    }

    MessageKind kind() {
        return kind;
    }

    MessageAssembler<P> assembler(long limit, MemoryBudget budget) {
        return assemblers.create(limit, budget);
    }

    /** A copy of {@code part} that stays valid after the container's handler returns (text is immutable). */
    P keep(P part) {
        return keep.apply(part);
    }

    /** A pipe of parts of this kind for a reader on another thread. */
    PartPipe<P> pipe(MemoryBudget budget, long deadlineNanos) {
        return new PartPipe<>(budget, heapBytes, deadlineNanos);
    }

    /** A message that arrived whole, as a stream. */
    S stream(P whole) {
        return wholeStream.apply(whole);
    }

    /** The message fed into {@code pipe}, as a stream. */
    S stream(PartPipe<P> pipe) {
        return pipeStream.apply(pipe);
    }

    /** The bytes of {@code buffer} from its position to its limit, copied; the buffer is unchanged. */
    static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.duplicate().get(bytes);
        return bytes;
    }
}
