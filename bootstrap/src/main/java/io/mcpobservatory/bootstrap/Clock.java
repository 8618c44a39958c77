package io.mcpobservatory.bootstrap;

import java.time.Instant;

/**
 * Wall-clock time with nanosecond steps: one {@link Instant} read at class load anchors {@link System#nanoTime()}, so a span
 * costs one {@code nanoTime()} at each end and its start and end times are consistent with its duration.
 */
public final class Clock {

    private static final long ANCHOR_EPOCH_NANOS;
    private static final long ANCHOR_NANO_TIME;

    static {
        Instant now = Instant.now();
        ANCHOR_NANO_TIME = System.nanoTime();
        ANCHOR_EPOCH_NANOS = now.getEpochSecond() * 1_000_000_000L + now.getNano();
    }

    private Clock() {
    }

    public static long epochNanos(long nanoTime) {
        return ANCHOR_EPOCH_NANOS + (nanoTime - ANCHOR_NANO_TIME);
    }
}
