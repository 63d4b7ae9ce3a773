package org.sizeguard.internal.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;
import java.util.function.Consumer;

import jakarta.json.Json;
import jakarta.json.JsonBuilderFactory;

import org.sizeguard.MessageKind;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.MessageTooBigException;
import org.sizeguard.SizeguardCloseException;
import org.sizeguard.TransferLimits;
import org.sizeguard.internal.transfer.TransferStore.Description;
import org.sizeguard.internal.transfer.TransferStore.Stored;
import org.sizeguard.transfer.ReceivedTransfer;
import org.sizeguard.transfer.TransferReceipt;
import org.sizeguard.transfer.TransferRefusedException;

/**
 * The transfer protocol ({@code docs/transfer-protocol.md}) on one connection: control messages in, chunks in,
 * answers out. Its two message methods, {@link #control} and {@link #chunk}, take the session's messages from
 * Sizeguard's message sinks (control messages whole, chunks in parts) within the endpoint's limits, one at a time on the container's
 * thread; what they return is sent through the session's bounded queue; what they throw
 * ({@link TransferRefusedException}, or {@link MessageTooBigException} for a transfer or chunk over its limit)
 * closes the session with its code. Each part of a chunk is written to the
 * transfer's spill file as it comes, straight from the container's buffer, and the chunk is acknowledged once its last
 * part is written: nothing of a transfer's bytes is held in memory, only its state and one chunk header per session.
 */
public final class TransferSession implements Transfers.Holder {

    /**
     * Builds the answers. Looked up once: {@code Json.createObjectBuilder()} looks the JSON-P provider up on every
     * call, through the class path (on WildFly, most of the time an acknowledgement took).
     */
    private static final JsonBuilderFactory ANSWERS = Json.createBuilderFactory(Map.of());

    /** The first byte of every chunk of protocol version 1. */
    static final int CHUNK_VERSION = 1;

    /** Receives a verified transfer: the endpoint's {@code @OnTransfer} method, bound to the session. */
    @FunctionalInterface
    public interface Recipient {
        void receive(ReceivedTransfer transfer) throws Exception;
    }

    private final Transfers transfers;
    private final TransferLimits limits;
    private final long chunkBytes;
    private final Recipient recipient;
    private final Consumer<SizeguardCloseException> closer;
    /** This connection's transfers by channel, in the order they started. */
    private final Map<Integer, Stored> channels = new LinkedHashMap<>();
    private int nextChannel = 1;

    // The chunk being received; only the container's thread that delivers binary parts touches these.
    /** The chunk header, read across parts. */
    private final byte[] header = new byte[TransferLimits.CHUNK_HEADER_BYTES];
    private int headerBytes;
    /** The transfer the chunk goes to, once its header is read; {@code null} between chunks. */
    private Stored receiving;
    private long chunkOffset;
    private long chunkLength;

    /**
     * @param closer closes the session with a refusal that does not come from a message (a deadline); any thread
     */
    public TransferSession(Transfers transfers, MessageSizePolicy policy, Recipient recipient,
            Consumer<SizeguardCloseException> closer) {
        this.transfers = transfers;
        this.limits = policy.transfer();
        this.chunkBytes = limits.chunkBytesWithin(policy.maxBinaryBytes());
        this.recipient = recipient;
        this.closer = closer;
    }

    /** A control message; returns the answer to send, if any. */
    public String control(String text) throws Exception {
        ControlMessage message = ControlMessage.parse(text);
        return switch (message.type()) {
            case "start" -> start(message);
            case "resume" -> resume(message);
            case "end" -> end(message);
            case "cancel" -> cancel(message);
            default -> throw ControlMessage.malformed("unknown \"type\"");
        };
    }

    /**
     * One part of a chunk, as the container delivers it (its buffer valid until this returns); returns the chunk's
     * acknowledgement after its last part, else {@code null}. The header is read across parts; each data part is
     * checked against the chunk rules (the protocol's section 5) and written to the spill file at its place before
     * the next one comes, so the session holds nothing of a chunk but its header. Parts come one at a time, on the
     * container's thread.
     */
    public String chunk(ByteBuffer part, boolean last) {
        try {
            String answer = receive(part, last);
            if (last) {
                receiving = null;
                headerBytes = 0;
            }
            return answer;
        } catch (RuntimeException refused) {
            receiving = null;
            headerBytes = 0;
            throw refused;
        }
    }

    private String receive(ByteBuffer part, boolean last) {
        ByteBuffer data = part.duplicate();
        if (receiving == null) {
            int taken = Math.min(data.remaining(), header.length - headerBytes);
            data.get(header, headerBytes, taken);
            headerBytes += taken;
            if (headerBytes < header.length) {
                if (last) {
                    throw TransferRefusedException.malformed("malformed chunk header");
                }
                return null;
            }
            ByteBuffer fields = ByteBuffer.wrap(header);
            if ((fields.get(0) & 0xFF) != CHUNK_VERSION) {
                throw TransferRefusedException.malformed("malformed chunk header");
            }
            Stored transfer;
            synchronized (channels) {
                transfer = channels.get(fields.getInt(1));
            }
            if (transfer == null) {
                throw new TransferRefusedException("chunk for no transfer of this connection");
            }
            receiving = transfer;
            chunkOffset = fields.getLong(5);
            chunkLength = 0;
        }
        Stored transfer = receiving;
        // Checked and stored as one step: a resume on another connection may take the transfer over meanwhile.
        synchronized (transfer) {
            if (!holds(transfer)) {
                throw new TransferRefusedException("chunk for no transfer of this connection");
            }
            long length = chunkLength + data.remaining();
            check(transfer, chunkOffset, length);
            try {
                if (data.hasRemaining()) {
                    transfer.write(chunkOffset + chunkLength, data);
                }
            } catch (IOException failed) {
                throw refuse(transfer, TransferRefusedException.serverFull("server cannot store transfers now"));
            }
            chunkLength = length;
            if (!last) {
                return null;
            }
            transfer.commit(chunkOffset + chunkLength);
            return ANSWERS.createObjectBuilder().add("type", "ack").add("id", transfer.description().id())
                    .add("offset", transfer.received()).build().toString();
        }
    }

    private boolean holds(Stored transfer) {
        synchronized (channels) {
            return channels.containsValue(transfer);
        }
    }

    /**
     * The rules of a chunk at {@code offset} with {@code length} data bytes so far, in the order a whole chunk is
     * judged by; a chunk in parts is judged again with each part, so a part that breaks one is never written.
     */
    private void check(Stored transfer, long offset, long length) {
        Description description = transfer.description();
        long received = transfer.received();
        try {
            MessageTooBigException.requireWithin(MessageKind.BINARY, "chunk", chunkBytes, length);
        } catch (MessageTooBigException tooBig) {
            throw refuse(transfer, tooBig);
        }
        if (offset < 0 || offset + length > description.size()) {
            throw refuse(transfer, new TransferRefusedException("chunk goes past the declared size of "
                    + description.size() + " bytes"));
        }
        if (offset + length > received + limits.window() * chunkBytes) {
            throw refuse(transfer, new TransferRefusedException("chunk outside the credit window of "
                    + limits.window() + " chunks"));
        }
        if (offset > received) {
            throw refuse(transfer, new TransferRefusedException("chunk leaves a gap: expected offset " + received
                    + ", got " + offset));
        }
        if (offset < received) {
            throw refuse(transfer, new TransferRefusedException("chunk overlaps stored bytes: expected offset "
                    + received + ", got " + offset));
        }
    }

    private String start(ControlMessage message) {
        long size = message.requiredSize("size");
        String id = message.optionalId("id");
        String name = message.optionalString("name");
        String contentType = message.optionalString("contentType");
        String sha256 = message.optionalSha256("sha256");
        // Declared by the start message, a text message: the kind a rejection of it is reported with.
        MessageTooBigException.requireWithin(MessageKind.TEXT, "transfer", limits.maxTransferBytes(), size);
        synchronized (channels) {
            if (channels.size() >= limits.maxTransfersPerSession()) {
                throw new TransferRefusedException("more than " + limits.maxTransfersPerSession()
                        + " transfers at once on this connection");
            }
        }
        Transfers.Started started = transfers.start(id, size, name, contentType, sha256, limits.deadline(),
                limits.retention(), this);
        return accepted(started.stored(), started.token());
    }

    private String resume(ControlMessage message) {
        String id = message.requiredId("id");
        String token = message.requiredString("token");
        synchronized (channels) {
            if (channels.size() >= limits.maxTransfersPerSession()) {
                throw new TransferRefusedException("more than " + limits.maxTransfersPerSession()
                        + " transfers at once on this connection");
            }
        }
        return accepted(transfers.resume(id, token, this), null);
    }

    /** Gives the transfer a channel on this connection and answers {@code accepted}; the token only at the start. */
    private String accepted(Stored transfer, String token) {
        int channel;
        synchronized (channels) {
            channel = nextChannel++;
            channels.put(channel, transfer);
        }
        Description description = transfer.description();
        var answer = ANSWERS.createObjectBuilder().add("type", "accepted").add("id", description.id())
                .add("channel", channel).add("offset", transfer.received()).add("chunkSize", chunkBytes)
                .add("window", limits.window());
        if (token != null) {
            answer.add("token", token);
        }
        return answer.add("deadline", description.deadline().toString())
                .add("retentionSeconds", limits.retention().toSeconds()).build().toString();
    }

    private String end(ControlMessage message) throws Exception {
        String id = message.requiredId("id");
        String declared = message.optionalSha256("sha256");
        Stored transfer = held(id);
        Description description = transfer.description();
        if (declared == null) {
            declared = description.declaredSha256();
        }
        if (declared == null) {
            throw refuse(transfer, ControlMessage.malformed("missing \"sha256\""));
        }
        if (description.declaredSha256() != null && !description.declaredSha256().equals(declared)) {
            throw refuse(transfer, TransferRefusedException.malformed("transfer digest does not match"));
        }
        if (transfer.received() != description.size()) {
            throw refuse(transfer, new TransferRefusedException("transfer ended at " + transfer.received() + " of "
                    + description.size() + " bytes"));
        }
        String computed = transfer.sha256();
        if (!computed.equals(declared)) {
            throw refuse(transfer, TransferRefusedException.malformed("transfer digest does not match"));
        }
        // The deadline no longer applies: the sweep must not delete the file the application is reading.
        transfers.delivering(id);
        Transfers.Outcome outcome = Transfers.Outcome.FAILED;
        try {
            recipient.receive(new Received(transfer, computed));
            outcome = Transfers.Outcome.COMPLETED;
        } finally {
            forget(transfer);
            transfers.remove(id, outcome);
        }
        return new TransferReceipt(id, description.size(), computed).toJson();
    }

    private String cancel(ControlMessage message) {
        String id = message.requiredId("id");
        Stored transfer = held(id);
        forget(transfer);
        transfers.remove(id, Transfers.Outcome.CANCELLED);
        return ANSWERS.createObjectBuilder().add("type", "cancelled").add("id", id).build().toString();
    }

    /** The transfer {@code id} this connection holds. */
    private Stored held(String id) {
        Optional<Stored> held = transfers.heldBy(id, this);
        synchronized (channels) {
            if (held.isEmpty() || !channels.containsValue(held.get())) {
                throw new TransferRefusedException("unknown transfer or wrong resume token");
            }
        }
        return held.get();
    }

    /** Deletes {@code transfer} for breaking a rule; returns the refusal to throw. */
    private <T extends SizeguardCloseException> T refuse(Stored transfer, T refusal) {
        forget(transfer);
        transfers.remove(transfer.description().id(), Transfers.Outcome.FAILED);
        return refusal;
    }

    private void forget(Stored transfer) {
        synchronized (channels) {
            channels.values().remove(transfer);
        }
    }

    /** The session ended: its unfinished transfers wait for a resume, for their retention. Any thread. */
    public void ended() {
        synchronized (channels) {
            for (Stored transfer : channels.values()) {
                transfers.release(transfer.description().id(), this);
            }
            channels.clear();
        }
    }

    /** Another connection resumed transfer {@code id}: this one forgets it (its later chunks are refused). */
    @Override
    public void takenOver(String id) {
        synchronized (channels) {
            channels.values().removeIf(transfer -> transfer.description().id().equals(id));
        }
    }

    /** The sweep removed transfer {@code id} at its deadline: the session ends with 1008. */
    @Override
    public void expired(String id) {
        synchronized (channels) {
            channels.values().removeIf(transfer -> transfer.description().id().equals(id));
        }
        closer.accept(new TransferRefusedException("transfer deadline passed"));
    }

    /** What the application's method gets: a view of the stored transfer, valid while the method runs. */
    private record Received(Stored stored, String sha256) implements ReceivedTransfer {
        @Override
        public String id() {
            return stored.description().id();
        }

        @Override
        public long size() {
            return stored.description().size();
        }

        @Override
        public Optional<String> name() {
            return Optional.ofNullable(stored.description().name());
        }

        @Override
        public Optional<String> contentType() {
            return Optional.ofNullable(stored.description().contentType());
        }

        @Override
        public Path path() {
            return stored.path();
        }

        @Override
        public InputStream openStream() throws IOException {
            return stored.openStream();
        }
    }
}
