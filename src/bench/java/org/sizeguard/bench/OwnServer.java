package org.sizeguard.bench;

import java.io.IOException;
import java.net.URL;

/** A server process the benchmark started itself ({@link OwnPayaraMicro}, {@link OwnWildFly}), on 127.0.0.1. */
interface OwnServer extends AutoCloseable {

    /** {@code http://127.0.0.1:port/<context>/}. */
    URL base(String context) throws IOException;

    /** The server's JVM process. */
    ProcessHandle process();

    /** Whether the server process still runs. */
    boolean alive();

    /** Stops the server and waits (bounded) for it to end. */
    @Override
    void close() throws InterruptedException;
}
