package org.sizeguard.internal.adapter.undertow;

import java.nio.ByteBuffer;
import java.util.Arrays;
import java.util.IdentityHashMap;
import java.util.Map;

import jakarta.websocket.CloseReason;

import io.undertow.connector.PooledByteBuffer;
import io.undertow.util.ImmediatePooledByteBuffer;
import io.undertow.websockets.core.StreamSinkFrameChannel;
import io.undertow.websockets.core.StreamSourceFrameChannel;
import io.undertow.websockets.core.WebSockets;
import io.undertow.websockets.core.WebSocketFrameType;
import io.undertow.websockets.extensions.ExtensionFunction;

import org.sizeguard.BudgetExhaustedException;
import org.sizeguard.MessageKind;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.internal.DeployedApplication;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.ProtocolViolationException;
import org.sizeguard.internal.adapter.ConnectionListener;
import org.sizeguard.internal.adapter.SessionLimits;
import org.sizeguard.internal.adapter.ReservedBits;
import org.sizeguard.internal.adapter.deflate.DeflaterPool;
import org.sizeguard.internal.adapter.deflate.DeflatingMessage;
import org.sizeguard.internal.adapter.deflate.InflatingMessage;

/**
 * permessage-deflate on one Undertow connection, negotiated by {@link PermessageDeflateHandshake} without context
 * takeover in either direction.
 * <p>
 * <b>Inbound.</b> A compressed message (RSV1 on its first frame) gets an {@link InflatingMessage} of its own,
 * reserved against the server-wide budget and freed at its end. Each piece of frame data Undertow reads is inflated
 * at once, but never beyond the message's limit + 1 byte, counted over the whole message: at that byte inflation
 * stops, the rest of the message is dropped uninflated, and the session is refused with 1009 through the listener
 * Sizeguard attached when the session opened. So a bomb costs at most its limit + 1 byte of output (plus the
 * inflater), whatever its ratio or frame layout. Invalid deflate data is 1007; RSV2 or RSV3, or RSV1 on a
 * control frame, 1002. Where the limit comes from: the endpoint's, for the message's kind, as it applies to the
 * endpoint's method (message or stream limit). A connection Sizeguard never attaches to (an endpoint the author
 * added to the container himself) is held to the default policy's limits and closed by this class itself.
 * <p>
 * <b>Outbound.</b> Every data message Undertow writes is compressed (RSV1): with a deflater from the application's
 * {@link DeflaterPool}, borrowed at the message's first frame and given back at its last; when none is free, in
 * stored deflate blocks, which need none.
 * <p>
 * <b>Threading.</b> Undertow reads a connection on one thread at a time; sends of several messages may be
 * transformed from different threads, so outbound state is kept per message and guarded. {@link #dispose()} (the
 * connection closed) frees everything.
 */
final class PermessageDeflateConnection implements ExtensionFunction {

    /** Output is grown in steps of at most this much. */
    private static final int OUTPUT_STEP = 16 * 1024;

    private final DeflaterPool deflaters;
    private final MemoryBudget budget = DeployedApplication.budget();
    private final Map<StreamSinkFrameChannel, Deflating> sending = new IdentityHashMap<>();

    // Inbound state: read by one thread at a time.
    private volatile SessionLimits limits;
    private volatile ConnectionListener listener;
    private SizeguardCloseException refusal;
    private boolean refusalReported;
    private StreamSourceFrameChannel message;
    private InflatingMessage inflating;
    private boolean dropping;

    PermessageDeflateConnection(DeflaterPool deflaters) {
        this.deflaters = deflaters;
    }

    /**
     * From now on, inflate each compressed message within {@code limits} and report refusals to {@code listener}; a
     * refusal seen before is reported now. Once per connection, from the session's {@code onOpen}.
     */
    void attach(SessionLimits limits, ConnectionListener listener) {
        this.limits = limits;
        this.listener = listener;
        reportRefusal();
    }

    @Override
    public boolean hasExtensionOpCode() {
        return false;
    }

    /** Every data message this side writes is compressed. */
    @Override
    public int writeRsv(int rsv) {
        return rsv | RSV1;
    }

    // ----- inbound -----

    @Override
    public PooledByteBuffer transformForRead(PooledByteBuffer pooled, StreamSourceFrameChannel channel,
            boolean lastFragmentOfMessage) {
        try (PooledByteBuffer input = pooled) {
            ByteBuffer data = input.getBuffer();
            if (refusal != null) {
                return empty();
            }
            SizeguardCloseException framing = framingRule(channel);
            if (framing != null) {
                refuse(framing);
                closeUnattached(channel);
                return empty();
            }
            if (channel != message) {
                start(channel);
            }
            if (dropping) {
                return empty();
            }
            Output out = new Output();
            try {
                inflating.input(data);
                inflateAll(out);
                if (lastFragmentOfMessage && refusal == null) {
                    inflating.lastInput();
                    inflateAll(out);
                }
                if (refusal != null) {
                    return empty();
                }
                return new ImmediatePooledByteBuffer(out.buffer());
            } catch (SizeguardCloseException refused) {
                refuse(refused);
                return empty();
            } finally {
                out.release();
                if (lastFragmentOfMessage || refusal != null) {
                    end();
                }
                closeUnattached(channel);
            }
        }
    }

    /**
     * RSV2 or RSV3 on any frame, or RSV1 on a control frame: not what was negotiated ({@link ReservedBits}). Undertow
     * calls this connection only for frames with a reserved bit set, and gives continuation frames the channel of their
     * message, so the type is that of the message's first frame or of a control frame.
     */
    private static SizeguardCloseException framingRule(StreamSourceFrameChannel channel) {
        String violation = ReservedBits.violation(channel.getRsv(), opcode(channel.getType()), true);
        return violation == null ? null : new ProtocolViolationException(violation);
    }

    /** The RFC 6455 opcode of frames of {@code type}; a reserved one for Undertow's {@code UNKOWN}. */
    private static int opcode(WebSocketFrameType type) {
        return switch (type) {
            case CONTINUATION -> 0x0;
            case TEXT -> 0x1;
            case BINARY -> 0x2;
            case CLOSE -> 0x8;
            case PING -> 0x9;
            case PONG -> 0xA;
            default -> 0xB;
        };
    }

    private void start(StreamSourceFrameChannel channel) {
        end();
        message = channel;
        MessageKind kind = channel.getType() == WebSocketFrameType.TEXT ? MessageKind.TEXT : MessageKind.BINARY;
        SessionLimits attached = limits;
        // Sizeguard attaches in every guarded session's onOpen, before Undertow reads a frame. A connection it never
        // attaches to (an endpoint the author added to the container himself) is held to the default policy.
        long limit = attached != null ? attached.of(kind) : defaultLimit(kind);
        try {
            inflating = InflatingMessage.start(kind, limit, budget, 0);
            dropping = false;
        } catch (BudgetExhaustedException spent) {
            dropping = true;
            refuse(spent);
            closeUnattached(channel);
        }
    }

    /** Inflates everything given so far into {@code out}; the message's limit stops it (an exception). */
    private void inflateAll(Output out) {
        while (refusal == null) {
            byte[] room = out.room(OUTPUT_STEP);
            if (room == null) {
                return; // the budget refused; out said so
            }
            int n = inflating.inflate(room, out.length, OUTPUT_STEP);
            out.advance(n);
            if (n < OUTPUT_STEP) {
                return;
            }
        }
    }

    /** Frees the inflater of the message in progress and what it reserved. */
    private void end() {
        if (inflating != null) {
            inflating.close();
            inflating = null;
        }
        message = null;
        dropping = false;
    }

    private void refuse(SizeguardCloseException refused) {
        if (refusal == null) {
            refusal = refused;
        }
        reportRefusal();
    }

    private void reportRefusal() {
        ConnectionListener attached = listener;
        SizeguardCloseException refused = refusal;
        if (attached != null && refused != null && !refusalReported) {
            refusalReported = true;
            attached.refused(refused);
        }
    }

    /** Without a session to close through, the connection is closed with the refusal's code itself. */
    private void closeUnattached(StreamSourceFrameChannel channel) {
        if (listener == null && refusal != null && !refusalReported) {
            refusalReported = true;
            CloseReason reason = refusal.closeReason();
            WebSockets.sendClose(reason.getCloseCode().getCode(), reason.getReasonPhrase(),
                    channel.getWebSocketChannel(), null);
        }
    }

    private static long defaultLimit(MessageKind kind) {
        return DeployedApplication.defaultPolicy().limit(kind);
    }

    private static PooledByteBuffer empty() {
        return new ImmediatePooledByteBuffer(ByteBuffer.allocate(0));
    }

    /** The output of one read: one growing array, its capacity reserved against the budget while it is built. */
    private final class Output {
        private byte[] bytes = new byte[0];
        int length;
        private long reserved;

        /**
         * The output array, grown to hold {@code wanted} bytes after {@link #length}, or {@code null} if the budget
         * refused.
         */
        byte[] room(int wanted) {
            if (bytes.length - length < wanted) {
                int grown = (int) Math.min(Integer.MAX_VALUE - 8, Math.max(length + (long) wanted, 2L * bytes.length));
                try {
                    budget.reserve(grown);
                } catch (BudgetExhaustedException spent) {
                    refuse(spent);
                    return null;
                }
                reserved += grown;
                byte[] larger = Arrays.copyOf(bytes, grown);
                budget.release(bytes.length);
                reserved -= bytes.length;
                bytes = larger;
            }
            return bytes;
        }

        void advance(int n) {
            length += n;
        }

        ByteBuffer buffer() {
            return ByteBuffer.wrap(bytes, 0, length);
        }

        /** Undertow holds the output until the endpoint's sink has taken it (and reserved its own copy). */
        void release() {
            budget.release(reserved);
            reserved = 0;
        }
    }

    // ----- outbound -----

    @Override
    public PooledByteBuffer transformForWrite(PooledByteBuffer pooled, StreamSinkFrameChannel channel,
            boolean lastFrame) {
        try (PooledByteBuffer input = pooled) {
            Deflating deflating;
            synchronized (sending) {
                deflating = sending.computeIfAbsent(channel, first -> new Deflating(DeflatingMessage.start(deflaters)));
                if (lastFrame) {
                    sending.remove(channel);
                }
            }
            try {
                return new ImmediatePooledByteBuffer(deflating.compress(input.getBuffer(), lastFrame));
            } finally {
                if (lastFrame) {
                    deflating.finish();
                }
            }
        }
    }

    /** One message being compressed: with a pooled deflater, or in stored blocks when none was free. */
    private static final class Deflating {
        private final DeflatingMessage deflating;

        Deflating(DeflatingMessage deflating) {
            this.deflating = deflating;
        }

        ByteBuffer compress(ByteBuffer data, boolean last) {
            return deflating == null ? DeflatingMessage.storedBlocks(data) : deflating.frame(data, last);
        }

        void finish() {
            if (deflating != null) {
                deflating.finish();
            }
        }
    }

    @Override
    public void dispose() {
        end();
        synchronized (sending) {
            sending.values().forEach(Deflating::finish);
            sending.clear();
        }
    }
}
