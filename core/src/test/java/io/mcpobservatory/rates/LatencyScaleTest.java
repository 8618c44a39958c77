package io.mcpobservatory.rates;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Arrays;
import java.util.SplittableRandom;
import org.junit.jupiter.api.Test;

/** The stated error bound of the rate windows' percentiles: within 12.5 % from 16.4 us on, 2.05 us below. */
class LatencyScaleTest {

    private static final double RELATIVE_BOUND = 0.125;
    private static final double ABSOLUTE_BOUND_NANOS = 2048;

    @Test
    void everyDurationIsWithinTheBoundOfItsBucketsMidpoint() {
        int previous = 0;
        for (long nanos = 0; nanos < 962_000_000_000L; nanos = nanos < 100_000 ? nanos + 1 : nanos + nanos / 997) {
            int index = LatencyScale.index(nanos);
            assertTrue(index >= previous && index < LatencyScale.BUCKETS, "buckets grow with the duration: " + nanos);
            previous = index;
            assertWithinBound(nanos, LatencyScale.midpointNanos(index));
        }
        assertEquals(LatencyScale.BUCKETS - 1, LatencyScale.index(Long.MAX_VALUE), "longer durations share the last");
        assertEquals(0, LatencyScale.index(-5), "a negative duration counts as 0");
    }

    @Test
    void percentilesOfRandomWindowsAreWithinTheBoundOfTheExactOnes() {
        SplittableRandom random = new SplittableRandom(12);
        for (int window = 0; window < 200; window++) {
            int spans = 1 + random.nextInt(5_000);
            long[] durations = new long[spans];
            long[] counts = new long[LatencyScale.BUCKETS];
            for (int i = 0; i < spans; i++) {
                // log-uniform from 1 us to 100 s: every scale a tool call has
                durations[i] = (long) Math.pow(10, 3 + random.nextDouble() * 8);
                counts[LatencyScale.index(durations[i])]++;
            }
            Arrays.sort(durations);
            for (int permille : new int[] {500, 950, 990}) {
                long exact = durations[(int) Math.ceil(spans * permille / 1000.0) - 1]; // nearest rank
                double estimate = LatencyScale.quantileMillis(counts, spans, permille) * 1e6;
                assertWithinBound(exact, estimate);
            }
        }
    }

    @Test
    void nearestRankIsComputedInIntegers() {
        long[] counts = new long[LatencyScale.BUCKETS];
        counts[LatencyScale.index(1_000_000)] = 19; // 1 ms
        counts[LatencyScale.index(1_000_000_000)] = 1; // 1 s
        // rank ceil(0.95 * 20) = 19: the 19th smallest is 1 ms, not the 20th
        assertEquals(1.0, LatencyScale.quantileMillis(counts, 20, 950), 0.125);
        assertTrue(LatencyScale.quantileMillis(counts, 20, 990) > 875, "the 99th is the slow one");
        assertTrue(Double.isNaN(LatencyScale.quantileMillis(counts, 0, 500)));
    }

    private static void assertWithinBound(long nanos, double estimate) {
        double error = Math.abs(estimate - nanos);
        assertTrue(error <= Math.max(RELATIVE_BOUND * nanos, ABSOLUTE_BOUND_NANOS),
                nanos + " ns read as " + estimate + " ns");
    }
}
