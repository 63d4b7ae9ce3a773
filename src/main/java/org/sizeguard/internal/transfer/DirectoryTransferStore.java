package org.sizeguard.internal.transfer;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.nio.channels.FileChannel;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Collection;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ConcurrentMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * The local {@link TransferStore}: state in memory, bytes in one spill file per transfer in a directory Sizeguard
 * owns. A spill file's name is random and server-made ({@code <32 hex>}{@value #SUFFIX}); nothing of the client's
 * (id, metadata) ever becomes a path. Bytes are written as they arrive, part by part at their place, through a file
 * channel kept open while the transfer is stored, so a transfer holds no buffer of its own.
 */
public final class DirectoryTransferStore implements TransferStore {

    private static final Logger LOG = Logger.getLogger(DirectoryTransferStore.class.getName());

    /** The suffix of spill files: what {@link #clear()} deletes, and nothing else. */
    static final String SUFFIX = ".sizeguard-transfer";

    private final Path directory;
    private final SecureRandom random = new SecureRandom();
    private final ConcurrentMap<String, Spilled> transfers = new ConcurrentHashMap<>();

    public DirectoryTransferStore(Path directory) {
        this.directory = directory;
    }

    @Override
    public Optional<Stored> create(Description description) throws IOException {
        Files.createDirectories(directory);
        byte[] name = new byte[16];
        random.nextBytes(name);
        Path file = directory.resolve(HexFormat.of().formatHex(name) + SUFFIX);
        Spilled spilled = new Spilled(description, file);
        if (transfers.putIfAbsent(description.id(), spilled) != null) {
            return Optional.empty();
        }
        try {
            spilled.open();
        } catch (IOException failed) {
            transfers.remove(description.id(), spilled);
            throw failed;
        }
        return Optional.of(spilled);
    }

    @Override
    public Optional<Stored> find(String id) {
        return Optional.ofNullable(transfers.get(id));
    }

    @Override
    public Collection<Stored> all() {
        return List.copyOf(transfers.values());
    }

    @Override
    public void remove(String id) {
        Spilled removed = transfers.remove(id);
        if (removed != null) {
            removed.delete();
        }
    }

    @Override
    public void clear() throws IOException {
        transfers.keySet().forEach(this::remove);
        if (!Files.isDirectory(directory)) {
            return;
        }
        int deleted = 0;
        try (DirectoryStream<Path> leftovers = Files.newDirectoryStream(directory, "*" + SUFFIX)) {
            for (Path leftover : leftovers) {
                Files.deleteIfExists(leftover);
                deleted++;
            }
        }
        if (deleted > 0) {
            int count = deleted;
            LOG.info(() -> "SIZEGUARD-011: deleted " + count + " spill files an earlier run left in " + directory);
        }
    }

    /** The number of spill files in the directory now (for tests and the operator). */
    public long spillFiles() throws IOException {
        if (!Files.isDirectory(directory)) {
            return 0;
        }
        try (var files = Files.list(directory)) {
            return files.filter(file -> file.getFileName().toString().endsWith(SUFFIX)).count();
        }
    }

    /**
     * One transfer and its spill file. Parts come from one session at a time (the one holding the transfer, which a
     * resume may change between parts); removal from any thread.
     */
    private static final class Spilled implements Stored {
        private final Description description;
        private final Path file;
        /** The SHA-256 of the committed chunks. */
        private MessageDigest digest = newSha256();
        private FileChannel channel;
        private long received;
        /** The chunk being received: its SHA-256 (the committed one's continued) and its length so far. */
        private MessageDigest receiving;
        private long receivingBytes;
        private boolean deleted;

        Spilled(Description description, Path file) {
            this.description = description;
            this.file = file;
        }

        synchronized void open() throws IOException {
            channel = FileChannel.open(file, StandardOpenOption.CREATE_NEW, StandardOpenOption.WRITE);
        }

        @Override
        public Description description() {
            return description;
        }

        @Override
        public synchronized long received() {
            return received;
        }

        @Override
        public synchronized void write(long position, ByteBuffer data) throws IOException {
            if (deleted) {
                throw new IOException("the transfer was removed");
            }
            if (position == received) {
                receiving = copy(digest);
                receivingBytes = 0;
            } else if (receiving == null || position != received + receivingBytes) {
                throw new IllegalStateException("a part at " + position + " of a chunk that ends at "
                        + (received + receivingBytes));
            }
            ByteBuffer counted = data.duplicate();
            // Straight from the container's buffer into the file at its place: the part is never copied to the heap.
            long at = position;
            while (data.hasRemaining()) {
                at += channel.write(data, at);
            }
            receiving.update(counted);
            receivingBytes += at - position;
        }

        @Override
        public synchronized void commit(long end) {
            if (end == received) {
                receiving = null;
                receivingBytes = 0;
                return;
            }
            if (receiving == null || end != received + receivingBytes) {
                throw new IllegalStateException("a chunk ending at " + end + " where the chunk being received ends at "
                        + (received + receivingBytes));
            }
            digest = receiving;
            received = end;
            receiving = null;
            receivingBytes = 0;
        }

        @Override
        public synchronized String sha256() {
            return HexFormat.of().formatHex(copy(digest).digest());
        }

        @Override
        public Path path() {
            return file;
        }

        @Override
        public InputStream openStream() throws IOException {
            return Files.newInputStream(file);
        }

        synchronized void delete() {
            deleted = true;
            try {
                if (channel != null) {
                    channel.close();
                }
                Files.deleteIfExists(file);
            } catch (IOException e) {
                LOG.log(Level.WARNING, "SIZEGUARD-012: could not delete the spill file " + file, e);
            }
        }
    }

    private static MessageDigest copy(MessageDigest digest) {
        try {
            return (MessageDigest) digest.clone();
        } catch (CloneNotSupportedException e) {
            throw new IllegalStateException("the JDK's SHA-256 can be cloned", e);
        }
    }

    private static MessageDigest newSha256() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
