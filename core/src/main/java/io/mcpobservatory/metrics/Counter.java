package io.mcpobservatory.metrics;

import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A monotonic sum per series (tokens, US dollars), held as the bits of a {@code double}: exact for whole numbers up to
 * 2^53, which token counts never reach.
 */
public final class Counter extends AttributedMetric {

    Counter(String name, String unit, String description, String[] attributes, int maxSeries, Counter overflowCounter) {
        super(name, unit, description, Type.COUNTER, attributes, maxSeries, overflowCounter);
    }

    @Override
    int cellCount() {
        return 1;
    }

    /** Adds {@code amount} (ignored unless positive and finite) to the series of {@code attributeValues}. Drainer only. */
    public void add(double amount, String... attributeValues) {
        if (!(amount > 0) || amount == Double.POSITIVE_INFINITY) {
            return;
        }
        AtomicLongArray cells = cells(attributeValues);
        cells.lazySet(0, Double.doubleToRawLongBits(Double.longBitsToDouble(cells.get(0)) + amount));
    }

    @Override
    void seriesPoints(MetricPoints out, String[] attributeNames, String[] values, long[] cells) {
        out.number(this, attributeNames, values, Double.longBitsToDouble(cells[0]));
    }

    @Override
    void writeSeries(PrometheusText out, String[] labelNames, String[] labelValues, long[] cells) {
        out.sample(prometheusName, labelNames, labelValues, null, null, Double.longBitsToDouble(cells[0]));
    }
}
