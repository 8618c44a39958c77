package io.mcpobservatory.metrics;

import java.util.ArrayList;
import java.util.List;
import java.util.function.DoubleSupplier;

/**
 * A counter or gauge read when scraped from a value kept elsewhere (the pipeline's counters, its queue's depth), with at
 * most one label: nothing is recorded for it, so it costs the drainer nothing.
 */
public final class ObservedMetric extends Metric {

    private final String label;
    /** The attribute's OpenTelemetry name, or null. */
    private final String[] attributes;
    private final List<String> labelValues = new ArrayList<>();
    private final List<DoubleSupplier> suppliers = new ArrayList<>();

    ObservedMetric(String name, String unit, String description, Type type, String attribute) {
        super(name, unit, description, type);
        this.label = attribute == null ? null : PrometheusText.labelName(attribute);
        this.attributes = attribute == null ? new String[0] : new String[] {attribute};
    }

    /** Adds the sample with {@code attributeValue} for this metric's attribute (null for a metric without one). */
    public ObservedMetric sample(String attributeValue, DoubleSupplier value) {
        synchronized (this) {
            labelValues.add(attributeValue);
            suppliers.add(value);
        }
        return this;
    }

    @Override
    synchronized void points(MetricPoints out) {
        for (int i = 0; i < suppliers.size(); i++) {
            String value = labelValues.get(i);
            out.number(this, attributes, attributes.length == 0 ? attributes : new String[] {value},
                    suppliers.get(i).getAsDouble());
        }
    }

    @Override
    synchronized void writeTo(PrometheusText out) {
        if (suppliers.isEmpty()) {
            return;
        }
        out.family(prometheusName, type, description);
        for (int i = 0; i < suppliers.size(); i++) {
            double value = suppliers.get(i).getAsDouble();
            String labelValue = labelValues.get(i);
            out.sample(prometheusName, null, null, labelValue == null ? null : label, labelValue, value);
        }
    }
}
