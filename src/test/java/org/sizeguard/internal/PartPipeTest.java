package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.IOException;
import java.io.InputStream;
import java.nio.ByteBuffer;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;

import org.junit.jupiter.api.Test;

class PartPipeTest {

    private static long drain(InputStream in) throws IOException {
        long total = 0;
        byte[] buffer = new byte[1000];
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            total += n;
        }
        return total;
    }

    @Test
    void keepsEveryQueuedPartWhenTheMessageEndsWithTheQueueFull() throws Exception {
        PartPipe<ByteBuffer> pipe = PartFormat.BINARY.pipe(MemoryBudget.unlimited(), Long.MAX_VALUE);
        for (int i = 0; i < PartPipe.CAPACITY; i++) {
            assertThat(pipe.put(ByteBuffer.allocate(100), 1000)).isTrue();
        }

        assertThat(pipe.put(ByteBuffer.allocate(100), 10)).as("no room for a fifth part").isFalse();
        pipe.end();

        assertThat(drain(PartPipe.inputStream(pipe))).isEqualTo(PartPipe.CAPACITY * 100L);
    }

    @Test
    void letsAProducerWaitForAReaderAndDeliversEverythingInOrder() throws Exception {
        PartPipe<ByteBuffer> pipe = PartFormat.BINARY.pipe(MemoryBudget.unlimited(), Long.MAX_VALUE);
        CompletableFuture<Long> read = CompletableFuture.supplyAsync(() -> {
            try {
                return drain(PartPipe.inputStream(pipe));
            } catch (IOException e) {
                throw new IllegalStateException(e);
            }
        });
        for (int i = 0; i < 100; i++) {
            assertThat(pipe.put(ByteBuffer.allocate(1000), 5000)).isTrue();
        }
        pipe.end();

        assertThat(read.get(10, TimeUnit.SECONDS)).isEqualTo(100_000L);
    }

    @Test
    void failsTheReaderAndReleasesABlockedProducer() throws Exception {
        PartPipe<ByteBuffer> pipe = PartFormat.BINARY.pipe(MemoryBudget.unlimited(), Long.MAX_VALUE);
        for (int i = 0; i < PartPipe.CAPACITY; i++) {
            pipe.put(ByteBuffer.allocate(10), 1000);
        }
        CompletableFuture<Boolean> blocked = CompletableFuture.supplyAsync(() -> {
            try {
                return pipe.put(ByteBuffer.allocate(10), 30_000);
            } catch (InterruptedException e) {
                throw new IllegalStateException(e);
            }
        });

        pipe.fail(new IOException("text message exceeds 10 bytes"));

        assertThat(blocked.get(5, TimeUnit.SECONDS)).isTrue();
        assertThatThrownBy(() -> drain(PartPipe.inputStream(pipe))).hasMessage("text message exceeds 10 bytes");
    }
}
