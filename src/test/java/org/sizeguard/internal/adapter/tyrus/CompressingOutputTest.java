package org.sizeguard.internal.adapter.tyrus;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.zip.DataFormatException;

import jakarta.servlet.ServletOutputStream;
import jakarta.servlet.WriteListener;

import org.junit.jupiter.api.Test;
import org.sizeguard.internal.adapter.deflate.DeflaterPool;
import org.sizeguard.testclient.DeflatedMessages;

/** The server's frames as Tyrus writes them, rewritten for a client that negotiated permessage-deflate. */
class CompressingOutputTest {

    private final List<byte[]> containerWrites = new ArrayList<>();
    private final ServletOutputStream container = new ServletOutputStream() {
        @Override
        public boolean isReady() {
            return true;
        }

        @Override
        public void setWriteListener(WriteListener listener) {
            throw new UnsupportedOperationException();
        }

        @Override
        public void write(int b) {
            throw new AssertionError("one write of Tyrus's must be one write to the container");
        }

        @Override
        public void write(byte[] bytes, int offset, int length) {
            containerWrites.add(Arrays.copyOfRange(bytes, offset, offset + length));
        }
    };
    private final DeflaterPool pool = new DeflaterPool(1);
    private boolean compressing = true;
    private final CompressingOutput output = new CompressingOutput(container, pool, () -> compressing);

    /** A server frame as Tyrus writes it: unmasked. */
    private static byte[] serverFrame(boolean fin, int opcode, byte[] payload) {
        ByteArrayOutputStream frame = new ByteArrayOutputStream();
        FrameHeader.writeUnmasked(fin, 0, opcode, payload.length, frame);
        frame.writeBytes(payload);
        return frame.toByteArray();
    }

    /** A frame the client reads: its first byte and its payload. */
    private record Sent(int first, byte[] payload) {
        boolean compressed() {
            return (first & 0x40) != 0;
        }
    }

    private List<Sent> sent() {
        ByteArrayOutputStream all = new ByteArrayOutputStream();
        containerWrites.forEach(all::writeBytes);
        List<Sent> frames = new ArrayList<>();
        ByteBuffer in = ByteBuffer.wrap(all.toByteArray());
        while (in.hasRemaining()) {
            int b0 = in.get() & 0xFF;
            long length = FrameRelayTest.payloadLength(in.get() & 0xFF, in);
            byte[] payload = new byte[(int) length];
            in.get(payload);
            frames.add(new Sent(b0, payload));
        }
        return frames;
    }

    private static byte[] ascii(String text) {
        return text.getBytes(StandardCharsets.US_ASCII);
    }

    @Test
    void compressesAReplyAtTheThresholdAndLeavesASmallerOneAsItIs() throws IOException, DataFormatException {
        byte[] reply = ascii("x".repeat(CompressingOutput.THRESHOLD));

        output.write(serverFrame(true, 1, reply));
        output.write(serverFrame(true, 1, ascii("small")));

        List<Sent> sent = sent();
        assertThat(sent.get(0).first()).isEqualTo(0xC1);
        assertThat(DeflatedMessages.inflated(sent.get(0).payload())).isEqualTo(reply);
        assertThat(sent.get(1).first()).isEqualTo(0x81);
        assertThat(sent.get(1).payload()).isEqualTo(ascii("small"));
        assertThat(containerWrites).hasSize(2);
        assertThat(pool.created()).isOne();
    }

    @Test
    void compressesAFragmentedReplyWithRsv1OnlyOnItsFirstFrameAndPassesControlFramesBetween()
            throws IOException, DataFormatException {
        output.write(serverFrame(false, 2, ascii("first part, ")));
        output.write(serverFrame(true, 0xA, ascii("pong")));
        output.write(serverFrame(false, 0, ascii("second part, ")));
        output.write(serverFrame(true, 0, new byte[0]));

        List<Sent> sent = sent();
        assertThat(sent).extracting(Sent::first).containsExactly(0x42, 0x8A, 0x00, 0x80);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        List.of(sent.get(0), sent.get(2), sent.get(3)).forEach(frame -> compressed.writeBytes(frame.payload()));
        assertThat(new String(DeflatedMessages.inflated(compressed.toByteArray()), StandardCharsets.US_ASCII))
                .isEqualTo("first part, second part, ");
        assertThat(sent.get(1).payload()).isEqualTo(ascii("pong"));
    }

    @Test
    void rewritesAFrameSplitAcrossWritesPieceByPiece() throws IOException, DataFormatException {
        byte[] reply = ascii("split reply ".repeat(100));
        byte[] frame = serverFrame(true, 1, reply);

        output.write(frame, 0, 1);
        output.write(frame, 1, 600);
        output.write(frame, 601, frame.length - 601);

        List<Sent> sent = sent();
        assertThat(sent).extracting(Sent::first).containsExactly(0x41, 0x80);
        ByteArrayOutputStream compressed = new ByteArrayOutputStream();
        sent.forEach(piece -> compressed.writeBytes(piece.payload()));
        assertThat(DeflatedMessages.inflated(compressed.toByteArray())).isEqualTo(reply);
    }

    @Test
    void sendsAsItIsWhatCannotOrNeedNotBeCompressed() throws IOException {
        byte[] reply = serverFrame(true, 1, ascii("y".repeat(1000)));
        compressing = false;
        output.write(reply);
        compressing = true;
        var held = pool.borrow();
        output.write(reply);
        pool.giveBack(held);
        byte[] alreadyCompressed = serverFrame(true, 1, ascii("z".repeat(1000)));
        alreadyCompressed[0] |= 0x40;
        output.write(alreadyCompressed);

        assertThat(containerWrites).containsExactly(reply, reply, alreadyCompressed);
    }

    @Test
    void givesItsDeflaterBackWhenTheConnectionEndsMidMessage() throws IOException {
        output.write(serverFrame(false, 1, ascii("never finished")));
        assertThat(pool.borrow()).as("the message holds the only deflater").isNull();

        output.release();

        assertThat(pool.borrow()).isNotNull();
    }
}
