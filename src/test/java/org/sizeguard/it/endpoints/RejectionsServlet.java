package org.sizeguard.it.endpoints;

import java.io.IOException;

import jakarta.inject.Inject;
import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

import org.sizeguard.MessageRejected;

/** {@code GET /it/rejections}: the observed events, one per line, for the tests to read. */
@WebServlet("/it/rejections")
public class RejectionsServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Inject
    transient RejectionRecorder recorder;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        StringBuilder lines = new StringBuilder();
        for (MessageRejected event : recorder.seen()) {
            lines.append(event.endpointPath()).append(' ').append(event.kind()).append(' ').append(event.limit())
                    .append(' ').append(event.observedBytes()).append(' ').append(event.closeCode()).append(' ')
                    .append(event.reason()).append('\n');
        }
        response.getWriter().write(lines.toString());
    }
}
