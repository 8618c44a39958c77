package io.mcpobservatory.rates;

import java.util.Arrays;

/**
 * A ring of time buckets, each a row of int counters ({@link Tally}'s, then {@link LatencyScale}'s) and a cost sum.
 * Buckets are numbered from the recorder's origin; a slot remembers which bucket it holds, and is cleared when a later
 * bucket takes it. So nothing rotates on a timer, a quiet row costs nothing, and a window is the slots that still hold
 * the buckets it asks for. Drainer thread only.
 */
final class BucketRing {

    static final int STRIDE = Tally.COUNTERS + LatencyScale.BUCKETS;

    private final int slots;
    /** The bucket each slot holds; -1 for none yet. */
    private final long[] holds;
    private final int[] cells;
    private final double[] cost;
    /** The bucket of the last add and its slot. */
    private long lastBucket = -1;
    private int lastSlot;

    BucketRing(int slots) {
        this.slots = slots;
        this.holds = new long[slots];
        Arrays.fill(holds, -1);
        this.cells = new int[slots * STRIDE];
        this.cost = new double[slots];
    }

    /** Counts one span in {@code bucket}: its {@link Tally} bits, its latency bucket and its cost (0 when none). */
    void add(long bucket, int flags, int latency, double costUsd) {
        int slot = slot(bucket);
        int base = slot * STRIDE;
        int[] cells = this.cells;
        for (int bits = flags; bits != 0; bits &= bits - 1) {
            cells[base + Integer.numberOfTrailingZeros(bits)]++;
        }
        cells[base + Tally.COUNTERS + latency]++;
        cost[slot] += costUsd;
    }

    /** Adds {@code delta} to one counter of {@code bucket} (the pipeline's drop and failure counts), saturating. */
    void add(long bucket, int counter, long delta) {
        int index = slot(bucket) * STRIDE + counter;
        cells[index] = (int) Math.min(Integer.MAX_VALUE, cells[index] + delta);
    }

    private int slot(long bucket) {
        if (bucket == lastBucket) {
            return lastSlot; // the drainer's spans mostly fall in the bucket of the one before: no division
        }
        int slot = (int) (bucket % slots);
        if (holds[slot] != bucket) {
            Arrays.fill(cells, slot * STRIDE, (slot + 1) * STRIDE, 0);
            cost[slot] = 0;
            holds[slot] = bucket;
        }
        lastBucket = bucket; // stays right until another bucket takes the slot, which goes through here
        lastSlot = slot;
        return slot;
    }

    /** Adds buckets {@code from} to {@code to} (inclusive; at most {@code slots} of them) into {@code totals}. */
    void sum(long from, long to, WindowTotals totals) {
        for (long bucket = Math.max(0, Math.max(from, to - slots + 1)); bucket <= to; bucket++) {
            int slot = (int) (bucket % slots);
            if (holds[slot] == bucket) {
                totals.add(cells, slot * STRIDE, cost[slot]);
            }
        }
    }

    /** Whether any of buckets {@code from} to {@code to} holds something. */
    boolean holdsAny(long from, long to) {
        for (long bucket = Math.max(0, Math.max(from, to - slots + 1)); bucket <= to; bucket++) {
            if (holds[(int) (bucket % slots)] == bucket) {
                return true;
            }
        }
        return false;
    }
}
