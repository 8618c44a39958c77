package io.mcpobservatory.rates;

/**
 * The latency buckets of the rate windows: a log-linear scale (four linear sub-buckets per power of two, as
 * HdrHistogram does with two significant bits) in units of 2^12 ns (4.096 us), so that a window's p50/p95/p99 costs
 * 108 counters instead of the spans themselves.
 *
 * <p>Error bound, reporting a bucket's midpoint: a duration at or above 4 units (16.4 us) lies in a bucket whose width is
 * at most a quarter of its lower bound, so the midpoint is within 1/8 = <b>12.5 %</b> of any duration in it; below 16.4 us
 * the buckets are one unit wide, within <b>2.05 us</b>. Durations from 962 s up share the last bucket (reported as
 * ~1031 s). A nearest-rank percentile is a duration of the window, so the percentile read from the buckets has the same
 * bound.
 */
final class LatencyScale {

    static final int UNIT_SHIFT = 12;
    private static final int SUB_BITS = 2;
    private static final int SUBS = 1 << SUB_BITS;
    /** The last power of two with buckets of its own: [2^27, 2^28) units = [550 s, 1100 s). */
    private static final int MAX_POWER = 27;
    static final int BUCKETS = (MAX_POWER - SUB_BITS + 1) * SUBS + SUBS;

    private LatencyScale() {
    }

    /** The bucket of a duration (negative counts as 0); one shift, a leading-zero count and a mask. */
    static int index(long nanos) {
        long units = Math.max(0, nanos) >>> UNIT_SHIFT;
        if (units < SUBS) {
            return (int) units;
        }
        int power = 63 - Long.numberOfLeadingZeros(units);
        if (power > MAX_POWER) {
            return BUCKETS - 1;
        }
        int sub = (int) (units >>> (power - SUB_BITS)) & (SUBS - 1);
        return (power - SUB_BITS + 1) * SUBS + sub;
    }

    /** The midpoint of bucket {@code index}, in nanoseconds. */
    static double midpointNanos(int index) {
        long low;
        long width;
        if (index < SUBS) {
            low = index;
            width = 1;
        } else {
            int power = index / SUBS + SUB_BITS - 1;
            int sub = index % SUBS;
            width = 1L << (power - SUB_BITS);
            low = (SUBS + sub) * width;
        }
        return (low + width / 2.0) * (1L << UNIT_SHIFT);
    }

    /**
     * The nearest-rank {@code permille}/1000 quantile of {@code counts} (one per bucket, {@code total} in all), as its
     * bucket's midpoint in milliseconds; NaN when there is nothing.
     */
    static double quantileMillis(long[] counts, long total, int permille) {
        if (total <= 0) {
            return Double.NaN;
        }
        long rank = Math.max(1, (total * permille + 999) / 1000); // ceil, in integers: no rounding at 0.95 * 20
        long seen = 0;
        for (int i = 0; i < counts.length; i++) {
            seen += counts[i];
            if (seen >= rank) {
                return midpointNanos(i) / 1e6;
            }
        }
        return midpointNanos(counts.length - 1) / 1e6;
    }
}
