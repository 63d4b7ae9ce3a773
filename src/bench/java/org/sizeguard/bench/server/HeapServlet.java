package org.sizeguard.bench.server;

import java.io.IOException;
import java.lang.management.GarbageCollectorMXBean;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryUsage;
import java.util.stream.Collectors;

import jakarta.servlet.annotation.WebServlet;
import jakarta.servlet.http.HttpServlet;
import jakarta.servlet.http.HttpServletRequest;
import jakarta.servlet.http.HttpServletResponse;

/**
 * Bench-only: {@code GET /bench/heap} runs {@code System.gc()} and answers with the heap then in use, so that the
 * benchmark can sample what the server retains (not the garbage it makes) while a transfer runs. One line:
 * {@code used=<bytes> committed=<bytes> max=<bytes> gcMillis=<ms> explicitGc=<on|disabled> collectors=<names>
 * threads=<live threads>}.
 * Deployed only by the benchmark, in both the Sizeguard WAR and the container-alone WAR.
 */
@WebServlet("/bench/heap")
public class HeapServlet extends HttpServlet {

    private static final long serialVersionUID = 1L;

    @Override
    protected void doGet(HttpServletRequest request, HttpServletResponse response) throws IOException {
        long start = System.nanoTime();
        System.gc();
        long gcMillis = (System.nanoTime() - start) / 1_000_000;
        MemoryUsage heap = ManagementFactory.getMemoryMXBean().getHeapMemoryUsage();
        boolean explicitGcDisabled = ManagementFactory.getRuntimeMXBean().getInputArguments()
                .contains("-XX:+DisableExplicitGC");
        String collectors = ManagementFactory.getGarbageCollectorMXBeans().stream()
                .map(GarbageCollectorMXBean::getName).collect(Collectors.joining(","));
        response.setContentType("text/plain");
        response.setCharacterEncoding("UTF-8");
        response.getWriter().write("used=" + heap.getUsed() + " committed=" + heap.getCommitted() + " max="
                + heap.getMax() + " gcMillis=" + gcMillis + " explicitGc=" + (explicitGcDisabled ? "disabled" : "on")
                + " collectors=" + collectors.replace(' ', '_')
                + " threads=" + ManagementFactory.getThreadMXBean().getThreadCount() + "\n");
    }
}
