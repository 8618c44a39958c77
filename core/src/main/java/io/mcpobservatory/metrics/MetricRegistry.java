package io.mcpobservatory.metrics;

import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * The agent's metrics, in the order they were registered, and their Prometheus text. Registration happens at start
 * (any thread); values are written by the drainer and read by the scrape thread (see {@link AttributedMetric}).
 */
public final class MetricRegistry {

    public static final int DEFAULT_MAX_SERIES = 2000;
    /** The overflow counter has one series per metric that overflowed: bounded by the metrics registered. */
    private static final int OVERFLOW_SERIES = 1000;

    private final int maxSeries;
    private final List<Metric> metrics = new CopyOnWriteArrayList<>();
    private final Counter overflow;

    /** @param maxSeries most series per metric; a measurement for a new series past it folds into the overflow series */
    public MetricRegistry(int maxSeries) {
        if (maxSeries < 1) {
            throw new IllegalArgumentException("maxSeries must be at least 1: " + maxSeries);
        }
        this.maxSeries = maxSeries;
        this.overflow = new Counter("mcp.observatory.metric.overflow", "{measurement}",
                "Measurements folded into a metric's overflow series (otel_metric_overflow=\"true\") because the metric"
                        + " had reached observatory.metrics.max-series series.",
                new String[] {"metric.name"}, OVERFLOW_SERIES, null);
    }

    public DurationHistogram histogram(String name, String description, double[] boundsSeconds, String... attributes) {
        return add(new DurationHistogram(name, description, boundsSeconds, attributes, maxSeries, overflow));
    }

    public Counter counter(String name, String unit, String description, String... attributes) {
        return add(new Counter(name, unit, description, attributes, maxSeries, overflow));
    }

    /** A counter or gauge read at scrape time: add its samples with {@link ObservedMetric#sample}. */
    public ObservedMetric observed(String name, String unit, String description, Metric.Type type, String attribute) {
        if (type == Metric.Type.HISTOGRAM) {
            throw new IllegalArgumentException("an observed metric is a counter or a gauge");
        }
        return add(new ObservedMetric(name, unit, description, type, attribute));
    }

    /**
     * A counter or gauge whose series are said at each scrape by {@code samples} (see {@link CallbackMetric}); the
     * caller bounds how many there are.
     */
    public CallbackMetric callback(String name, String unit, String description, Metric.Type type,
                                   java.util.function.Consumer<CallbackMetric.Sink> samples, String... attributes) {
        if (type == Metric.Type.HISTOGRAM) {
            throw new IllegalArgumentException("a callback metric is a counter or a gauge");
        }
        return add(new CallbackMetric(name, unit, description, type, attributes, samples));
    }

    private <M extends Metric> M add(M metric) {
        for (Metric existing : metrics) {
            if (existing.name.equals(metric.name) || existing.prometheusName.equals(metric.prometheusName)) {
                throw new IllegalArgumentException("metric " + metric.name + " registered twice");
            }
        }
        metrics.add(metric);
        return metric;
    }

    public int maxSeries() {
        return maxSeries;
    }

    public List<Metric> metrics() {
        return List.copyOf(metrics);
    }

    /** Says every metric's current values to {@code out} (the OTLP metrics export), in the order of registration. */
    public void collect(MetricPoints out) {
        for (Metric metric : metrics) {
            metric.points(out);
        }
        overflow.points(out);
    }

    /** Every metric with samples, in the text exposition format 0.0.4 ({@link PrometheusText#CONTENT_TYPE}). */
    public String prometheusText() {
        PrometheusText out = new PrometheusText();
        for (Metric metric : metrics) {
            metric.writeTo(out);
        }
        overflow.writeTo(out);
        return out.text();
    }
}
