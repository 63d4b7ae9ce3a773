package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;
import static org.sizeguard.internal.CloseAssertions.assertClosedWith;

import java.util.ArrayList;
import java.util.List;

import org.junit.jupiter.api.Test;
import org.sizeguard.MessageKind;
import org.sizeguard.MessageRejected;
import org.sizeguard.MessageTooBigException;

/** The one path from a close exception to {@code session.close}. */
class RejectionsTest {

    private final FakeSession fake = new FakeSession();

    @Test
    void firesTheEventWithWhatTheExceptionSaysThenClosesWithItsCodeAndReason() {
        List<MessageRejected> events = new ArrayList<>();
        Rejections rejections = new Rejections(events::add);

        rejections.reject(fake.session, "/echo", MessageKind.TEXT, 0,
                new MessageTooBigException(MessageKind.TEXT, 65536, 70000));

        assertThat(events).containsExactly(new MessageRejected("/echo", "fake-1", MessageKind.TEXT, 65536, 70000,
                1009, "text message exceeds 65536 bytes"));
        assertClosedWith(fake.closes, 1009, "text message exceeds 65536 bytes");
    }

    @Test
    void reportsTheObservedBytesItIsGivenWhereTheExceptionNamesNoLimit() {
        List<MessageRejected> events = new ArrayList<>();
        Rejections rejections = new Rejections(events::add);

        rejections.reject(fake.session, "/echo", MessageKind.BINARY, 12,
                new ProtocolViolationException("client frame is not masked (RFC 6455 5.1)"));

        assertThat(events).singleElement().satisfies(event -> {
            assertThat(event.limit()).isEqualTo(-1);
            assertThat(event.observedBytes()).isEqualTo(12);
            assertThat(event.closeCode()).isEqualTo(1002);
        });
    }

    @Test
    void closesTheSessionEvenWhenAnObserverOfTheEventFails() {
        Rejections rejections = new Rejections(event -> {
            throw new IllegalStateException("an observer's bug");
        });

        rejections.reject(fake.session, "/echo", MessageKind.TEXT, 0,
                new MessageTooBigException(MessageKind.TEXT, 10, 11));

        assertThat(fake.closes).singleElement().satisfies(reason ->
                assertThat(reason.getCloseCode().getCode()).isEqualTo(1009));
    }

    @Test
    void cutsAReasonLongerThanACloseFrameCarriesOnACharacterBoundary() {
        Rejections rejections = new Rejections(event -> { });

        rejections.reject(fake.session, "/echo", MessageKind.TEXT, 0,
                new ProtocolViolationException("é".repeat(100)));

        assertThat(fake.closes).singleElement().satisfies(reason ->
                assertThat(reason.getReasonPhrase()).isEqualTo("é".repeat(61)));
    }
}
