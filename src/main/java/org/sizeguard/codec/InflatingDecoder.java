package org.sizeguard.codec;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;
import java.nio.ByteBuffer;
import java.nio.CharBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CharsetDecoder;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.function.Function;

import jakarta.inject.Inject;
import jakarta.websocket.DecodeException;
import jakarta.websocket.Decoder;
import jakarta.websocket.EndpointConfig;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.UndecodableMessageException;
import org.sizeguard.internal.DeployedApplication;
import org.sizeguard.internal.MemoryBudget;

/**
 * A decoder of binary messages whose payload is compressed (gzip, zlib or raw deflate, {@link Inflation}) into
 * what another decoder reads from the inflated bytes: text, JSON, MessagePack, Protocol Buffers or the author's own.
 * For protocols that compress inside the payload (a browser's {@code CompressionStream("gzip")}, a client that
 * gzips its JSON). An author writes
 * <pre>
 * public class GzipOrderDecoder extends InflatingDecoder&lt;Order&gt; {
 *     public GzipOrderDecoder() {
 *         super(Inflation.GZIP, policy -&gt; new JsonDecoder&lt;Order&gt;(policy) {});
 *     }
 * }
 * </pre>
 * and declares {@code GzipOrderDecoder} in {@code ServerEndpoint(decoders = ...)}; an {@code @OnMessage} method
 * taking {@code Order} then receives gzipped JSON orders sent as binary messages.
 * <p>
 * <b>Limits.</b> The compressed message is a binary message and is held to the binary message limit as it arrives.
 * Its <em>inflated</em> bytes count against the message limit of the kind the inner decoder reads: the text message
 * limit for a {@link Decoder.Text} or {@link Decoder.TextStream}, the binary message limit for a
 * {@link Decoder.Binary} or {@link Decoder.BinaryStream}; they are counted while inflating, so a message of 1 KiB
 * that would inflate to 1 GiB is refused after the limit + 1 byte with {@link MessageTooBigException} (1009,
 * {@code "text message exceeds 65536 bytes"}). The inner decoder's own checks (structure limits, its stream limit)
 * apply to the inflated bytes as they do to any message. Data that is not valid in the format, or ends early, is
 * {@link UndecodableMessageException} (1007, {@code "binary message is not valid gzip data"}); inflated bytes for a
 * text decoder that are not UTF-8 are {@code "inflated text is not valid UTF-8"} (1007).
 * <p>
 * <b>Memory.</b> While it decodes, it holds the inflater ({@link Inflation#HELD_BYTES}), for an inner text stream
 * decoder 8 KiB of UTF-8 decoding buffers, and, for an inner
 * {@code Text} or {@code Binary} decoder that takes the whole payload, the inflated payload (for text also its
 * {@code String}); stream decoders read the inflated bytes as they are inflated. All of it is reserved against the
 * server-wide budget ({@code sizeguard.max-buffered-bytes}) before it is held, and released when
 * {@link #decode(ByteBuffer)} returns: a reservation that does not fit is 1013. What the inner decoder keeps of its
 * own is its business, as for a message that was never compressed.
 * <p>
 * <b>Policy.</b> Created through CDI, the decoder receives the policy of the endpoint it serves
 * ({@code @Inject MessageSizePolicy}) and creates its inner decoder with that policy, once, at
 * {@link #init(EndpointConfig)} (or at the first message); a decoder created without CDI uses the policy given to its
 * constructor, else the application's default ({@link SizePolicies#current()}), else the built-in defaults. The inner
 * decoder is initialised and destroyed with this one.
 * <p>
 * <b>Threading.</b> One instance per session, as the WebSocket specification has it; {@link #decode(ByteBuffer)} runs
 * on the thread that delivers the message and holds nothing between messages.
 *
 * @param <T> the type messages are decoded into: what the inner decoder produces
 */
public abstract class InflatingDecoder<T> implements Decoder.Binary<T> {

    /** The first capacity of the buffer that holds an inflated payload whole; it doubles up to the limit + 1. */
    private static final int FIRST_CAPACITY = 8192;

    @Inject
    private MessageSizePolicy injectedPolicy;

    private final Inflation format;
    private final Function<MessageSizePolicy, ? extends Decoder> innerFactory;
    private final MessageSizePolicy givenPolicy;
    private volatile Inner<T> inner;
    private EndpointConfig config;

    /**
     * @param format  how messages are compressed
     * @param decoder creates the decoder of the inflated bytes from the endpoint's policy: a {@code Decoder.Text},
     *                {@code TextStream}, {@code Binary} or {@code BinaryStream} that produces {@code T}
     */
    protected InflatingDecoder(Inflation format, Function<MessageSizePolicy, ? extends Decoder> decoder) {
        this(format, decoder, null);
    }

    /**
     * For use without CDI: as {@link #InflatingDecoder(Inflation, Function)}, under {@code policy} (unless CDI injects
     * one).
     */
    protected InflatingDecoder(Inflation format, Function<MessageSizePolicy, ? extends Decoder> decoder,
            MessageSizePolicy policy) {
        if (format == null || decoder == null) {
            throw new IllegalArgumentException("a format and a decoder are required");
        }
        this.format = format;
        this.innerFactory = decoder;
        this.givenPolicy = policy;
    }

    /** Settles the policy, then creates and initialises the inner decoder with it. */
    @Override
    public void init(EndpointConfig config) {
        this.config = config;
        inner();
    }

    /** Destroys the inner decoder. */
    @Override
    public void destroy() {
        Inner<T> created = inner;
        if (created != null) {
            created.decoder().destroy();
        }
    }

    /** {@code true} for every message: {@link #decode(ByteBuffer)} gives a precise reason for one it refuses. */
    @Override
    public boolean willDecode(ByteBuffer bytes) {
        return bytes != null;
    }

    /**
     * Inflates the message, from its position to its limit (the buffer's position is left as it was), within the
     * limit described above, and decodes the inflated bytes with the inner decoder.
     *
     * @throws MessageTooBigException      the inflated bytes exceed their limit (1009)
     * @throws UndecodableMessageException the message is not valid in the format, or the inner decoder refuses
     *                                     it (1007)
     * @throws BudgetExhaustedException    the server-wide budget cannot hold what decoding needs (1013)
     * @throws DecodeException             as the inner decoder throws it, or for an {@code IOException} of an inner
     *                                     stream decoder (Sizeguard answers both with 1007)
     */
    @Override
    public T decode(ByteBuffer bytes) throws DecodeException {
        Inner<T> decoding = inner();
        Reserved reserved = new Reserved(DeployedApplication.budget());
        reserved.add(Inflation.HELD_BYTES);
        try (Watched inflated = new Watched(format.inflate(new BufferStream(bytes.duplicate()), decoding.kind(),
                decoding.limit()))) {
            try {
                return decoding.decode(inflated, reserved);
            } catch (SizeguardCloseException refused) {
                throw inflated.failureOr(refused);
            } catch (DecodeException | IOException | RuntimeException failed) {
                // The inner decoder may have wrapped or swallowed the inflater's refusal: that is the answer.
                inflated.rethrowFailure();
                if (failed instanceof IOException unreadable) {
                    throw new DecodeException(bytes, "inflated message could not be read: " + unreadable.getMessage(),
                            unreadable);
                }
                throw failed;
            }
        } catch (IOException closing) {
            // Closing the inflater of an in-memory buffer fails only if the stream was misused.
            throw new DecodeException(bytes, "inflated message could not be closed", closing);
        } finally {
            reserved.releaseAll();
        }
    }

    /** The policy inflated bytes are counted against; see the class description. */
    protected final MessageSizePolicy policy() {
        return inner().policy();
    }

    private Inner<T> inner() {
        Inner<T> created = inner;
        if (created == null) {
            synchronized (this) {
                if (inner == null) {
                    MessageSizePolicy policy = DecoderPolicy.resolve(injectedPolicy, givenPolicy);
                    Decoder decoder = innerFactory.apply(policy);
                    Inner<T> made = Inner.of(decoder, policy);
                    decoder.init(config);
                    inner = made;
                }
                created = inner;
            }
        }
        return created;
    }

    /** The inner decoder, the kind it reads and the limit of its inflated bytes. */
    private record Inner<T>(Decoder decoder, MessageKind kind, long limit, MessageSizePolicy policy) {

        static <T> Inner<T> of(Decoder decoder, MessageSizePolicy policy) {
            if (decoder instanceof Decoder.Text<?> || decoder instanceof Decoder.TextStream<?>) {
                return new Inner<>(decoder, MessageKind.TEXT, policy.maxTextBytes(), policy);
            }
            if (decoder instanceof Decoder.Binary<?> || decoder instanceof Decoder.BinaryStream<?>) {
                return new Inner<>(decoder, MessageKind.BINARY, policy.maxBinaryBytes(), policy);
            }
            throw new IllegalArgumentException("an inflating decoder needs a Decoder.Text, TextStream, Binary or "
                    + "BinaryStream, not " + (decoder == null ? "null" : decoder.getClass().getName()));
        }

        @SuppressWarnings("unchecked")
        T decode(InputStream inflated, Reserved reserved) throws DecodeException, IOException {
            if (decoder instanceof Decoder.TextStream<?> stream) {
                reserved.add(StrictUtf8Reader.HELD_BYTES);
                return (T) stream.decode(new StrictUtf8Reader(inflated));
            }
            if (decoder instanceof Decoder.BinaryStream<?> stream) {
                return (T) stream.decode(inflated);
            }
            byte[] whole = readWhole(inflated, limit, reserved);
            int length = reserved.length;
            if (decoder instanceof Decoder.Text<?> text) {
                reserved.add(2L * length); // the String's chars, at most two bytes per byte read
                String string = strictUtf8(whole, length);
                if (!text.willDecode(string)) {
                    throw new UndecodableMessageException("inflated text was refused by its decoder", null);
                }
                return (T) text.decode(string);
            }
            Decoder.Binary<?> binary = (Decoder.Binary<?>) decoder;
            ByteBuffer payload = ByteBuffer.wrap(whole, 0, length);
            if (!binary.willDecode(payload.duplicate())) {
                throw new UndecodableMessageException("inflated binary was refused by its decoder", null);
            }
            return (T) binary.decode(payload);
        }
    }

    /**
     * Reads {@code in} to its end into one array, reserving each capacity before allocating it; the number of bytes
     * read is left in {@code reserved.length}. {@code in} stops at the limit + 1 byte by itself.
     */
    private static byte[] readWhole(InputStream in, long limit, Reserved reserved) throws IOException {
        int most = (int) Math.min(Integer.MAX_VALUE - 8, limit + 1);
        int capacity = Math.max(1, Math.min(FIRST_CAPACITY, most));
        reserved.add(capacity);
        byte[] buffer = new byte[capacity];
        int length = 0;
        while (true) {
            if (length == buffer.length) {
                if (buffer.length >= most) {
                    break; // the stream has already refused anything beyond the limit
                }
                int grown = (int) Math.min(most, 2L * buffer.length);
                reserved.add(grown);
                byte[] larger = Arrays.copyOf(buffer, grown);
                reserved.release(buffer.length);
                buffer = larger;
            }
            int n = in.read(buffer, length, buffer.length - length);
            if (n < 0) {
                break;
            }
            length += n;
        }
        reserved.length = length;
        return buffer;
    }

    private static String strictUtf8(byte[] bytes, int length) {
        try {
            return strictDecoder().decode(ByteBuffer.wrap(bytes, 0, length)).toString();
        } catch (CharacterCodingException notUtf8) {
            throw new UndecodableMessageException("inflated text is not valid UTF-8", notUtf8);
        }
    }

    private static CharsetDecoder strictDecoder() {
        return StandardCharsets.UTF_8.newDecoder().onMalformedInput(CodingErrorAction.REPORT)
                .onUnmappableCharacter(CodingErrorAction.REPORT);
    }

    /** What one decode reserved against the budget; released at once at its end. */
    private static final class Reserved {
        private final MemoryBudget budget;
        private long bytes;
        int length;

        Reserved(MemoryBudget budget) {
            this.budget = budget;
        }

        void add(long more) {
            budget.reserve(more);
            bytes += more;
        }

        void release(long less) {
            budget.release(less);
            bytes -= less;
        }

        void releaseAll() {
            budget.release(bytes);
            bytes = 0;
        }
    }

    /** Remembers the first refusal of the inflating stream, so that a decoder that wraps it cannot hide it. */
    private static final class Watched extends InputStream {
        private final InputStream in;
        private SizeguardCloseException failure;

        Watched(InputStream in) {
            this.in = in;
        }

        @Override
        public int read() throws IOException {
            try {
                return in.read();
            } catch (SizeguardCloseException refused) {
                throw remember(refused);
            }
        }

        @Override
        public int read(byte[] buffer, int offset, int length) throws IOException {
            try {
                return in.read(buffer, offset, length);
            } catch (SizeguardCloseException refused) {
                throw remember(refused);
            }
        }

        private SizeguardCloseException remember(SizeguardCloseException refused) {
            if (failure == null) {
                failure = refused;
            }
            return failure;
        }

        SizeguardCloseException failureOr(SizeguardCloseException other) {
            return failure != null ? failure : other;
        }

        void rethrowFailure() {
            if (failure != null) {
                throw failure;
            }
        }

        @Override
        public void close() throws IOException {
            in.close();
        }
    }

    /** Reads a {@code ByteBuffer} from its position to its limit. */
    private static final class BufferStream extends InputStream {
        private final ByteBuffer buffer;

        BufferStream(ByteBuffer buffer) {
            this.buffer = buffer;
        }

        @Override
        public int read() {
            return buffer.hasRemaining() ? buffer.get() & 0xFF : -1;
        }

        @Override
        public int read(byte[] into, int offset, int length) {
            if (length == 0) {
                return 0;
            }
            if (!buffer.hasRemaining()) {
                return -1;
            }
            int n = Math.min(length, buffer.remaining());
            buffer.get(into, offset, n);
            return n;
        }
    }

    /** UTF-8 from a stream, refusing what is not UTF-8 with 1007 (an {@code InputStreamReader} would replace it). */
    private static final class StrictUtf8Reader extends Reader {
        /** Its byte buffer and the chunk it reads into, reserved by the decoder while it reads. */
        static final long HELD_BYTES = 2 * 4096;

        private final InputStream in;
        private final CharsetDecoder decoder = strictDecoder();
        private final ByteBuffer bytes = ByteBuffer.allocate(4096).flip();
        private final byte[] chunk = new byte[4096];
        private boolean ended;
        private boolean flushed;
        /** The second half of a surrogate pair decoded for a caller that asked for one char, or -1. */
        private int pending = -1;

        StrictUtf8Reader(InputStream in) {
            this.in = in;
        }

        @Override
        public int read(char[] into, int offset, int length) throws IOException {
            if (length == 0) {
                return 0;
            }
            if (pending >= 0) {
                into[offset] = (char) pending;
                pending = -1;
                return 1;
            }
            if (flushed) {
                return -1;
            }
            if (length == 1) {
                // A supplementary character needs two chars: the decoder would produce nothing into one.
                char[] two = new char[2];
                int n = read(two, 0, 2);
                if (n > 0) {
                    into[offset] = two[0];
                    pending = n == 2 ? two[1] : -1;
                    return 1;
                }
                return n;
            }
            CharBuffer out = CharBuffer.wrap(into, offset, length);
            while (out.position() == offset) {
                if (!bytes.hasRemaining() || !ended && bytes.remaining() < 4) {
                    fill();
                }
                var result = decoder.decode(bytes, out, ended);
                if (result.isError()) {
                    throw new UndecodableMessageException("inflated text is not valid UTF-8", null);
                }
                if (ended && !bytes.hasRemaining()) {
                    if (decoder.flush(out).isError()) {
                        throw new UndecodableMessageException("inflated text is not valid UTF-8", null);
                    }
                    flushed = true;
                    break;
                }
            }
            int n = out.position() - offset;
            return n == 0 && ended ? -1 : n;
        }

        private void fill() throws IOException {
            if (ended) {
                return;
            }
            bytes.compact();
            int n = in.read(chunk, 0, Math.min(chunk.length, bytes.remaining()));
            if (n < 0) {
                ended = true;
            } else {
                bytes.put(chunk, 0, n);
            }
            bytes.flip();
        }

        @Override
        public void close() {
            // The inflated stream is closed by the decoder.
        }
    }
}
