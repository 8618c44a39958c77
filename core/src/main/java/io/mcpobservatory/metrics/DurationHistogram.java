package io.mcpobservatory.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A histogram of durations with fixed bucket bounds, in seconds in the exposition and in nanoseconds inside: a duration
 * is a whole number of nanoseconds, so "on the bound" is exact and goes into that bound's bucket ({@code le} is
 * inclusive). A series is one cell per bucket (the bounds' buckets and +Inf, not cumulative) and the sum in
 * nanoseconds; the count is the buckets' total, so a scrape always has {@code +Inf == _count}.
 */
public final class DurationHistogram extends AttributedMetric {

    private final double[] boundsSeconds;
    private final long[] boundsNanos;
    private final int sumCell;

    DurationHistogram(String name, String description, double[] boundsSeconds, String[] attributes, int maxSeries,
                      Counter overflowCounter) {
        super(name, "s", description, Type.HISTOGRAM, attributes, maxSeries, overflowCounter);
        this.boundsSeconds = boundsSeconds.clone();
        this.boundsNanos = new long[boundsSeconds.length];
        for (int i = 0; i < boundsSeconds.length; i++) {
            boundsNanos[i] = Math.round(boundsSeconds[i] * 1e9);
            if (i > 0 && boundsNanos[i] <= boundsNanos[i - 1]) {
                throw new IllegalArgumentException("bucket bounds of " + name + " must increase");
            }
        }
        this.sumCell = boundsSeconds.length + 1;
    }

    @Override
    int cellCount() {
        return boundsSeconds.length + 2;
    }

    /**
     * Records one duration (negative counts as 0) in the series of {@code attributeValues}, one per attribute in the
     * order the metric was registered with ({@code null}: absent). Drainer thread only.
     */
    public void record(long nanos, String... attributeValues) {
        long value = Math.max(0, nanos);
        AtomicLongArray cells = cells(attributeValues);
        increment(cells, bucket(value), 1);
        increment(cells, sumCell, value);
    }

    /** The index of the first bucket whose bound is at least {@code nanos}; the +Inf bucket past the last bound. */
    int bucket(long nanos) {
        long[] bounds = boundsNanos;
        int i = 0;
        while (i < bounds.length && nanos > bounds[i]) {
            i++;
        }
        return i;
    }

    @Override
    void seriesPoints(MetricPoints out, String[] attributeNames, String[] values, long[] cells) {
        long[] buckets = java.util.Arrays.copyOf(cells, boundsSeconds.length + 1);
        long count = 0;
        for (long bucket : buckets) {
            count += bucket;
        }
        out.histogram(this, attributeNames, values, boundsSeconds, buckets, cells[sumCell] / 1e9, count);
    }

    @Override
    void writeSeries(PrometheusText out, String[] labelNames, String[] labelValues, long[] cells) {
        long cumulative = 0;
        for (int i = 0; i < boundsSeconds.length; i++) {
            cumulative += cells[i];
            out.sample(prometheusName + "_bucket", labelNames, labelValues, "le", PrometheusText.number(boundsSeconds[i]),
                    cumulative);
        }
        cumulative += cells[boundsSeconds.length];
        out.sample(prometheusName + "_bucket", labelNames, labelValues, "le", "+Inf", cumulative);
        out.sample(prometheusName + "_sum", labelNames, labelValues, null, null, cells[sumCell] / 1e9);
        out.sample(prometheusName + "_count", labelNames, labelValues, null, null, cumulative);
    }
}
