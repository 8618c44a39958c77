package io.mcpobservatory.rates;

/**
 * The buckets of one row (the service, all tools, or one tool): 61 fine buckets (the 5 m window and the current tick)
 * and 61 coarse ones (the hour and the current minute). About 64 KB, allocated when the row gets its first span.
 */
final class RateRow {

    private static final int FINE_SLOTS = RateWindow.FIVE_MINUTES.buckets + 1;
    private static final int COARSE_SLOTS = RateWindow.ONE_HOUR.buckets + 1;

    private final BucketRing fine = new BucketRing(FINE_SLOTS);
    private final BucketRing coarse = new BucketRing(COARSE_SLOTS);

    void add(long tick, int flags, int latency, double costUsd) {
        fine.add(tick, flags, latency, costUsd);
        coarse.add(tick / RateWindow.TICKS_PER_COARSE, flags, latency, costUsd);
    }

    void addCount(long tick, int counter, long delta) {
        fine.add(tick, counter, delta);
        coarse.add(tick / RateWindow.TICKS_PER_COARSE, counter, delta);
    }

    /** Sums {@code window} as it is at tick {@code tick} into {@code totals} (cleared first). */
    void sum(RateWindow window, long tick, WindowTotals totals) {
        totals.clear();
        long current = window.coarse ? tick / RateWindow.TICKS_PER_COARSE : tick;
        (window.coarse ? coarse : fine).sum(current - window.buckets, current, totals);
    }

    /** Whether the longest window still holds anything of this row at tick {@code tick}. */
    boolean idle(long tick) {
        long current = tick / RateWindow.TICKS_PER_COARSE;
        return !coarse.holdsAny(current - RateWindow.ONE_HOUR.buckets, current);
    }
}
