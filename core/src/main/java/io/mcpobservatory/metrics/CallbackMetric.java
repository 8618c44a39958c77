package io.mcpobservatory.metrics;

import java.util.function.Consumer;

/**
 * A counter or gauge family whose samples are read from somewhere else at each scrape, with any number of labels and a
 * set of series that may change between scrapes (the rates of the tools called in the last hour, the alerts' states):
 * at scrape time the family is handed a {@link Sink} and says its samples. Nothing is recorded for it.
 */
public final class CallbackMetric extends Metric {

    /** Takes one sample: its value and one label value per attribute, in order (null: label absent). */
    @FunctionalInterface
    public interface Sink {
        void sample(double value, String... labelValues);
    }

    private final String[] labels;
    private final String[] attributes;
    private final Consumer<Sink> samples;

    CallbackMetric(String name, String unit, String description, Type type, String[] attributes,
                   Consumer<Sink> samples) {
        super(name, unit, description, type);
        this.labels = new String[attributes.length];
        this.attributes = attributes.clone();
        for (int i = 0; i < attributes.length; i++) {
            labels[i] = PrometheusText.labelName(attributes[i]);
        }
        this.samples = samples;
    }

    @Override
    void points(MetricPoints out) {
        samples.accept((value, labelValues) -> out.number(this, attributes, labelValues, value));
    }

    @Override
    void writeTo(PrometheusText out) {
        boolean[] started = {false};
        samples.accept((value, labelValues) -> {
            if (labelValues.length != labels.length) {
                throw new IllegalArgumentException(name + " has " + labels.length + " labels, not "
                        + labelValues.length);
            }
            if (!started[0]) { // no family header without a sample, as for the other metrics
                out.family(prometheusName, type, description);
                started[0] = true;
            }
            out.sample(prometheusName, labels, labelValues, null, null, value);
        });
    }
}
