package io.mcpobservatory.metrics;

/**
 * One metric of the registry: its OpenTelemetry name, unit and description, and how it writes its samples in the
 * Prometheus text format. Values are written by one thread (the drainer) and read by the scrape thread.
 */
public abstract class Metric {

    /** The Prometheus metric types this registry writes. */
    public enum Type {
        COUNTER, GAUGE, HISTOGRAM;

        String text() {
            return name().toLowerCase(java.util.Locale.ROOT);
        }
    }

    final String name;
    final String unit;
    final String description;
    final Type type;
    /** The family's name in the exposition, as the OpenTelemetry Prometheus exporter writes it (see PrometheusText). */
    final String prometheusName;

    Metric(String name, String unit, String description, Type type) {
        this.name = name;
        this.unit = unit;
        this.description = description;
        this.type = type;
        this.prometheusName = PrometheusText.familyName(name, unit, type);
    }

    public String name() {
        return name;
    }

    public Type type() {
        return type;
    }

    public String prometheusName() {
        return prometheusName;
    }

    public String unit() {
        return unit;
    }

    public String description() {
        return description;
    }

    /** Says the current value of every series to {@code out} (OTLP); nothing while it has no sample. */
    abstract void points(MetricPoints out);

    /** Writes the family (HELP, TYPE, samples); writes nothing while it has no sample, as OpenTelemetry exporters do. */
    abstract void writeTo(PrometheusText out);
}
