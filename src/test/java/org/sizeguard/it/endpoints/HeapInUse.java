package org.sizeguard.it.endpoints;

import java.io.IOException;
import java.lang.management.ManagementFactory;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Test-only: {@code GET /it/heap} runs {@code System.gc()} and answers with the bytes of heap then in use, what the
 * server retains rather than the garbage it makes.
 */
@WebServlet("/it/heap")
public class HeapInUse extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        System.gc();
        response.setContentType("text/plain");
        response.getWriter().write(Long.toString(ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed()));
    }
}
