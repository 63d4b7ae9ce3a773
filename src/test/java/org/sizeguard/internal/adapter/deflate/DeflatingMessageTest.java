package org.sizeguard.internal.adapter.deflate;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.StandardCharsets;
import java.util.Random;
import java.util.zip.DataFormatException;
import java.util.zip.Deflater;

import org.junit.jupiter.api.Test;
import org.sizeguard.testclient.DeflatedMessages;

class DeflatingMessageTest {

    private final DeflaterPool pool = new DeflaterPool(2);

    private static byte[] bytes(ByteBuffer buffer) {
        byte[] bytes = new byte[buffer.remaining()];
        buffer.get(bytes);
        return bytes;
    }

    @Test
    void compressesAMessageInOneFrameAsAClientInflatesIt() throws DataFormatException {
        byte[] json = "{\"items\":[1,2,3,4,5,6,7,8,9],\"note\":\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa\"}"
                .repeat(50).getBytes(StandardCharsets.UTF_8);
        DeflatingMessage message = DeflatingMessage.start(pool);

        byte[] payload = bytes(message.frame(ByteBuffer.wrap(json), true));
        message.finish();

        assertThat(payload.length).isLessThan(json.length / 10);
        assertThat(DeflatedMessages.inflated(payload)).isEqualTo(json);
    }

    @Test
    void compressesFramesThatInflateOneByOneAndTogetherIncludingAnEmptyLastFrame() throws DataFormatException {
        Random random = new Random(7);
        byte[] first = new byte[70_000];
        random.nextBytes(first);
        byte[] second = "tail ".repeat(2000).getBytes(StandardCharsets.US_ASCII);
        DeflatingMessage message = DeflatingMessage.start(pool);

        byte[] one = bytes(message.frame(ByteBuffer.wrap(first), false));
        byte[] two = bytes(message.frame(ByteBuffer.wrap(second), false));
        byte[] three = bytes(message.frame(ByteBuffer.allocate(0), true));
        message.finish();

        ByteArrayOutputStream wire = new ByteArrayOutputStream();
        wire.writeBytes(one);
        wire.writeBytes(two);
        wire.writeBytes(three);
        ByteArrayOutputStream whole = new ByteArrayOutputStream();
        whole.writeBytes(first);
        whole.writeBytes(second);
        assertThat(DeflatedMessages.inflated(wire.toByteArray())).isEqualTo(whole.toByteArray());
    }

    @Test
    void compressesAnEmptyMessageToTheOneByteRfc7692Shows() {
        DeflatingMessage message = DeflatingMessage.start(pool);

        byte[] payload = bytes(message.frame(ByteBuffer.allocate(0), true));
        message.finish();

        assertThat(payload).containsExactly(0x00);
    }

    @Test
    void startsNoMessageWhenEveryPooledDeflaterIsInUseAndGivesItsDeflaterBack() {
        DeflatingMessage one = DeflatingMessage.start(pool);
        DeflatingMessage two = DeflatingMessage.start(pool);

        assertThat(DeflatingMessage.start(pool)).isNull();
        one.finish();
        one.finish();
        assertThat(DeflatingMessage.start(pool)).isNotNull();
        assertThat(pool.created()).isEqualTo(2);
        two.finish();
    }

    @Test
    void lendsAtMostItsSizeOfDeflatersAndReusesThem() {
        Deflater first = pool.borrow();
        Deflater second = pool.borrow();

        assertThat(pool.borrow()).isNull();
        pool.giveBack(first);
        assertThat(pool.borrow()).isSameAs(first);
        assertThat(pool.created()).isEqualTo(2);
        second.end();
    }

    @Test
    void writesStoredBlocksThatInflateToTheDataForAnyLength() throws DataFormatException {
        Random random = new Random(3);
        for (int length : new int[] {0, 1, 65_535, 65_536, 200_001}) {
            byte[] data = new byte[length];
            random.nextBytes(data);

            byte[] blocks = bytes(DeflatingMessage.storedBlocks(ByteBuffer.wrap(data)));

            assertThat(DeflatedMessages.inflated(blocks)).isEqualTo(data);
        }
    }
}
