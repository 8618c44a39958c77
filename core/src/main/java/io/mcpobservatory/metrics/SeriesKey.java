package io.mcpobservatory.metrics;

import java.util.Arrays;

/**
 * The attribute values of one series, in the order of its metric's attribute names ({@code null}: attribute absent).
 * A key in the series map is never changed; the drainer's lookups go through one reusable probe per metric, so a span
 * whose series exists allocates nothing.
 */
final class SeriesKey {

    String[] values;
    int hash;

    SeriesKey(String[] values) {
        set(values);
    }

    /** For the probe: points it at {@code values} (not copied; the probe is never stored). */
    SeriesKey set(String[] values) {
        this.values = values;
        int h = 1;
        for (String value : values) {
            h = 31 * h + (value == null ? 0 : value.hashCode());
        }
        this.hash = h;
        return this;
    }

    SeriesKey copy() {
        return new SeriesKey(values.clone());
    }

    @Override
    public boolean equals(Object other) {
        return other instanceof SeriesKey && ((SeriesKey) other).hash == hash
                && Arrays.equals(((SeriesKey) other).values, values);
    }

    @Override
    public int hashCode() {
        return hash;
    }
}
