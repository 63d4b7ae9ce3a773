package org.sizeguard.it.endpoints;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.event.Observes;

import org.sizeguard.MessageRejected;

/** Observes Sizeguard's CDI event, as an application would, and keeps what it saw for {@link RejectionsServlet}. */
@ApplicationScoped
public class RejectionRecorder {

    private final List<MessageRejected> seen = new CopyOnWriteArrayList<>();

    void record(@Observes MessageRejected rejection) {
        seen.add(rejection);
    }

    public List<MessageRejected> seen() {
        return List.copyOf(seen);
    }
}
