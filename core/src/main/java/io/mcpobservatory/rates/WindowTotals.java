package io.mcpobservatory.rates;

import java.util.Arrays;

/** The sums of a window's buckets, made into {@link RateValues}; one reused per recorder (drainer thread only). */
final class WindowTotals {

    final long[] counters = new long[Tally.COUNTERS];
    final long[] latency = new long[LatencyScale.BUCKETS];
    double costUsd;

    void clear() {
        Arrays.fill(counters, 0);
        Arrays.fill(latency, 0);
        costUsd = 0;
    }

    void add(int[] cells, int base, double cost) {
        for (int i = 0; i < Tally.COUNTERS; i++) {
            counters[i] += cells[base + i];
        }
        int latencyBase = base + Tally.COUNTERS;
        for (int i = 0; i < LatencyScale.BUCKETS; i++) {
            latency[i] += cells[latencyBase + i];
        }
        costUsd += cost;
    }
}
