package org.sizeguard.internal;

import java.util.concurrent.Executor;
import java.util.concurrent.ScheduledExecutorService;

import org.sizeguard.SizeguardStats;

/**
 * What every guarded session of one application shares: the rejection path, the threads that run endpoint
 * methods reading a message as a stream, the timer of completion deadlines, and the live counts.
 */
record GuardRuntime(Rejections rejections, Executor streams, ScheduledExecutorService deadlines,
        SizeguardStats stats) {
}
