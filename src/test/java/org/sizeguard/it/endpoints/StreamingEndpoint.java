package org.sizeguard.it.endpoints;

import java.io.IOException;
import java.io.InputStream;
import java.io.Reader;

import jakarta.websocket.OnMessage;
import jakarta.websocket.server.ServerEndpoint;

import org.sizeguard.SizePolicy;

/**
 * Reads text as a {@code Reader} and binary as an {@code InputStream}, answering with how much it read. Policy
 * {@code streams} (test web.xml): 1 KiB for whole messages, but 1 MiB text and 2 MiB binary as streams.
 */
@ServerEndpoint("/it/streams")
@SizePolicy("streams")
public class StreamingEndpoint {

    @OnMessage
    public String text(Reader reader) throws IOException {
        char[] buffer = new char[4096];
        long chars = 0;
        for (int n = reader.read(buffer); n >= 0; n = reader.read(buffer)) {
            chars += n;
        }
        return "chars=" + chars;
    }

    @OnMessage
    public String binary(InputStream in) throws IOException {
        byte[] buffer = new byte[8192];
        long bytes = 0;
        for (int n = in.read(buffer); n >= 0; n = in.read(buffer)) {
            bytes += n;
        }
        return "bytes=" + bytes;
    }
}
