package io.mcpobservatory.export.otlp;

import io.mcpobservatory.metrics.Metric;
import io.mcpobservatory.metrics.MetricPoints;
import io.mcpobservatory.metrics.MetricRegistry;
import java.util.Map;

/**
 * Writes the registry's metrics as an OTLP {@code ExportMetricsServiceRequest} (opentelemetry-proto
 * {@code collector/metrics/v1}): counters as monotonic cumulative sums, gauges as gauges, the duration histograms as
 * cumulative explicit-bucket histograms with the conventions' bounds; the same names, units and attributes as the
 * OpenTelemetry SDK would give them. Not thread-safe: one per sending thread.
 */
final class MetricsEncoder implements MetricPoints {

    // opentelemetry-proto metrics/v1 field numbers
    private static final int REQUEST_RESOURCE_METRICS = 1;
    private static final int RESOURCE_METRICS_RESOURCE = 1;
    private static final int RESOURCE_METRICS_SCOPE_METRICS = 2;
    private static final int SCOPE_METRICS_SCOPE = 1;
    private static final int SCOPE_METRICS_METRICS = 2;
    private static final int METRIC_NAME = 1;
    private static final int METRIC_DESCRIPTION = 2;
    private static final int METRIC_UNIT = 3;
    private static final int METRIC_GAUGE = 5;
    private static final int METRIC_SUM = 7;
    private static final int METRIC_HISTOGRAM = 9;
    private static final int DATA_POINTS = 1;
    private static final int AGGREGATION_TEMPORALITY = 2;
    private static final int SUM_IS_MONOTONIC = 3;
    private static final int CUMULATIVE = 2;
    private static final int POINT_START = 2;
    private static final int POINT_TIME = 3;
    private static final int NUMBER_AS_DOUBLE = 4;
    private static final int NUMBER_ATTRIBUTES = 7;
    private static final int HISTOGRAM_COUNT = 4;
    private static final int HISTOGRAM_SUM = 5;
    private static final int HISTOGRAM_BUCKET_COUNTS = 6;
    private static final int HISTOGRAM_EXPLICIT_BOUNDS = 7;
    private static final int HISTOGRAM_ATTRIBUTES = 9;

    private final ProtoWriter out = new ProtoWriter(16 * 1024);
    private final Map<String, String> resource;
    private final String scopeVersion;
    private final long startEpochNanos;
    private long nowEpochNanos;
    private int points;
    /** The metric being written (its {@code Metric} and data messages open), or null. */
    private Metric open;
    private int metricAt;
    private int dataAt;
    private long[] bits = new long[16];

    /** @param startEpochNanos the start of every cumulative series: when the agent began recording */
    MetricsEncoder(Map<String, String> resource, String scopeVersion, long startEpochNanos) {
        this.resource = resource;
        this.scopeVersion = scopeVersion;
        this.startEpochNanos = startEpochNanos;
    }

    /** Encodes every metric of {@code registry} as of {@code nowEpochNanos}; returns the number of data points. */
    int encode(MetricRegistry registry, long nowEpochNanos) {
        this.nowEpochNanos = nowEpochNanos;
        points = 0;
        out.reset();
        int resourceMetrics = out.begin(REQUEST_RESOURCE_METRICS);
        out.resource(RESOURCE_METRICS_RESOURCE, resource);
        int scopeMetrics = out.begin(RESOURCE_METRICS_SCOPE_METRICS);
        out.scope(SCOPE_METRICS_SCOPE, TraceEncoder.SCOPE, scopeVersion);
        registry.collect(this);
        closeMetric();
        out.end(scopeMetrics);
        out.end(resourceMetrics);
        return points;
    }

    byte[] buffer() {
        return out.buffer();
    }

    int size() {
        return out.size();
    }

    @Override
    public void number(Metric metric, String[] attributes, String[] values, double value) {
        int point = startPoint(metric);
        out.fixed64(POINT_START, startEpochNanos);
        out.fixed64(POINT_TIME, nowEpochNanos);
        out.doubleValue(NUMBER_AS_DOUBLE, value);
        attributes(NUMBER_ATTRIBUTES, attributes, values);
        out.end(point);
    }

    @Override
    public void histogram(Metric metric, String[] attributes, String[] values, double[] boundsSeconds,
                          long[] bucketCounts, double sumSeconds, long count) {
        int point = startPoint(metric);
        out.fixed64(POINT_START, startEpochNanos);
        out.fixed64(POINT_TIME, nowEpochNanos);
        out.fixed64(HISTOGRAM_COUNT, count);
        out.doubleValue(HISTOGRAM_SUM, sumSeconds);
        out.packedFixed64(HISTOGRAM_BUCKET_COUNTS, bucketCounts, bucketCounts.length);
        if (bits.length < boundsSeconds.length) {
            bits = new long[boundsSeconds.length];
        }
        for (int i = 0; i < boundsSeconds.length; i++) {
            bits[i] = Double.doubleToRawLongBits(boundsSeconds[i]);
        }
        out.packedFixed64(HISTOGRAM_EXPLICIT_BOUNDS, bits, boundsSeconds.length);
        attributes(HISTOGRAM_ATTRIBUTES, attributes, values);
        out.end(point);
    }

    /** Opens the metric's messages at its first point, closing the previous metric's; then opens a data point. */
    private int startPoint(Metric metric) {
        if (metric != open) {
            closeMetric();
            open = metric;
            metricAt = out.begin(SCOPE_METRICS_METRICS);
            out.string(METRIC_NAME, metric.name());
            out.string(METRIC_DESCRIPTION, metric.description());
            out.string(METRIC_UNIT, metric.unit());
            dataAt = out.begin(dataField(metric.type()));
        }
        points++;
        return out.begin(DATA_POINTS);
    }

    private void closeMetric() {
        if (open == null) {
            return;
        }
        if (open.type() != Metric.Type.GAUGE) {
            out.int64(AGGREGATION_TEMPORALITY, CUMULATIVE);
        }
        if (open.type() == Metric.Type.COUNTER) {
            out.int64(SUM_IS_MONOTONIC, 1);
        }
        out.end(dataAt);
        out.end(metricAt);
        open = null;
    }

    private static int dataField(Metric.Type type) {
        switch (type) {
            case COUNTER:
                return METRIC_SUM;
            case HISTOGRAM:
                return METRIC_HISTOGRAM;
            default:
                return METRIC_GAUGE;
        }
    }

    private void attributes(int field, String[] names, String[] values) {
        for (int i = 0; i < names.length && i < values.length; i++) {
            out.attribute(field, names[i], values[i]);
        }
    }
}
