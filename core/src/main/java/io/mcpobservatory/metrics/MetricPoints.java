package io.mcpobservatory.metrics;

/**
 * Takes the registry's current values, metric by metric, for an exporter other than the Prometheus text (OTLP): every
 * value is cumulative since the start, attribute names as OpenTelemetry writes them ({@code gen_ai.tool.name}), an
 * absent attribute's value null. Called on the collecting thread, with the same guarantees as a scrape.
 */
public interface MetricPoints {

    /** A counter's or gauge's value for one series. */
    void number(Metric metric, String[] attributes, String[] values, double value);

    /**
     * A histogram's series: {@code bucketCounts} per bucket (not cumulative), one more than {@code boundsSeconds} (the
     * last is +Inf); {@code count} is their total.
     */
    void histogram(Metric metric, String[] attributes, String[] values, double[] boundsSeconds, long[] bucketCounts,
                   double sumSeconds, long count);
}
