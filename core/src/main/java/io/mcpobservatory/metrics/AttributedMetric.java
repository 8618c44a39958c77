package io.mcpobservatory.metrics;

import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLongArray;

/**
 * A metric whose series are told apart by attribute values, each series a fixed row of {@code long} cells.
 *
 * <p>Cardinality is bounded: tool, prompt and method names come from clients, so a metric holds at most
 * {@code maxSeries} series; a measurement for a new series past that goes to one overflow series (written with the
 * single label {@code otel_metric_overflow="true"}, as the OpenTelemetry SDK does) and is counted in
 * {@code mcp.observatory.metric.overflow}. Values longer than {@link #MAX_VALUE_CHARS} are cut, so a series holds at
 * most a few hundred bytes of text whatever a client sends.
 *
 * <p>Threads: one writer (the drainer) finds and updates series; the scrape thread iterates them. The map is concurrent
 * for that iteration; cells are published with release stores ({@code lazySet}: a plain store on x86) and read whole by
 * the scrape, which may see one measurement half applied (a bucket counted, the sum not yet) but never a torn value.
 */
abstract class AttributedMetric extends Metric {

    static final int MAX_VALUE_CHARS = 128;

    final String[] attributes;
    /** The attributes as Prometheus label names (dots and other characters as underscores). */
    final String[] labels;
    private final int maxSeries;
    private final Map<SeriesKey, AtomicLongArray> series = new ConcurrentHashMap<>();
    /** Drainer only: the lookup key, pointed at each measurement's values. */
    private final SeriesKey probe = new SeriesKey(new String[0]);
    /**
     * Drainer only: the values (references, as given) and cells of the previous measurement. Consecutive spans mostly
     * carry the very same strings (one tool's calls: the method, tool and transport strings are the session's or the
     * SDK's own), so comparing references skips the hashing and the map lookup for most spans.
     */
    private final String[] lastValues;
    private AtomicLongArray lastCells;
    /** Drainer only: series created (the map's size without its cost). */
    private int created;
    private volatile AtomicLongArray overflow;
    /** Where folds into the overflow series are counted; null for that counter itself. */
    private final Counter overflowCounter;

    AttributedMetric(String name, String unit, String description, Type type, String[] attributes, int maxSeries,
                     Counter overflowCounter) {
        super(name, unit, description, type);
        this.attributes = attributes.clone();
        this.labels = new String[attributes.length];
        for (int i = 0; i < attributes.length; i++) {
            labels[i] = PrometheusText.labelName(attributes[i]);
        }
        this.maxSeries = maxSeries;
        this.overflowCounter = overflowCounter;
        this.lastValues = new String[attributes.length];
    }

    /** How many cells a series of this metric has. */
    abstract int cellCount();

    /**
     * The cells of the series of {@code values} (one per attribute, in order; the array may be changed), created when
     * new, or the overflow series when the metric is full. Drainer thread only.
     */
    final AtomicLongArray cells(String[] values) {
        if (values.length != attributes.length) {
            throw new IllegalArgumentException(name + " has " + attributes.length + " attributes, not " + values.length);
        }
        if (lastCells != null && sameReferences(values, lastValues)) {
            return lastCells;
        }
        System.arraycopy(values, 0, lastValues, 0, values.length); // before cut() changes them
        AtomicLongArray cells = find(values);
        lastCells = cells;
        return cells;
    }

    private static boolean sameReferences(String[] values, String[] last) {
        for (int i = 0; i < values.length; i++) {
            if (values[i] != last[i]) {
                return false;
            }
        }
        return true;
    }

    private AtomicLongArray find(String[] values) {
        // A stored key holds values already cut, so a value over the limit never matches: the values are cut (and
        // looked up again) only when the first lookup misses, which keeps the length checks off the common path.
        AtomicLongArray cells = series.get(probe.set(values));
        if (cells != null) {
            return cells;
        }
        if (cut(values)) {
            cells = series.get(probe.set(values));
            if (cells != null) {
                return cells;
            }
        }
        if (created >= maxSeries) {
            if (overflowCounter != null) {
                overflowCounter.add(1, name);
            }
            AtomicLongArray folded = overflow;
            if (folded == null) {
                folded = new AtomicLongArray(cellCount());
                overflow = folded;
            }
            return folded;
        }
        cells = new AtomicLongArray(cellCount());
        series.put(probe.copy(), cells);
        created++;
        return cells;
    }

    /** Cuts the values longer than {@link #MAX_VALUE_CHARS} in place; true when one was. */
    private static boolean cut(String[] values) {
        boolean any = false;
        for (int i = 0; i < values.length; i++) {
            String value = values[i];
            if (value != null && value.length() > MAX_VALUE_CHARS) {
                values[i] = value.substring(0, MAX_VALUE_CHARS);
                any = true;
            }
        }
        return any;
    }

    /** Adds {@code delta} to a cell; only the drainer writes, so a read and a release store suffice (no CAS). */
    static void increment(AtomicLongArray cells, int index, long delta) {
        cells.lazySet(index, cells.get(index) + delta);
    }

    @Override
    final void writeTo(PrometheusText out) {
        AtomicLongArray folded = overflow;
        if (series.isEmpty() && folded == null) {
            return;
        }
        out.family(prometheusName, type, description);
        long[] snapshot = new long[cellCount()];
        for (Map.Entry<SeriesKey, AtomicLongArray> entry : series.entrySet()) {
            read(entry.getValue(), snapshot);
            writeSeries(out, labels, entry.getKey().values, snapshot);
        }
        if (folded != null) {
            read(folded, snapshot);
            writeSeries(out, PrometheusText.OVERFLOW_LABELS, PrometheusText.OVERFLOW_VALUES, snapshot);
        }
    }

    @Override
    final void points(MetricPoints out) {
        long[] snapshot = new long[cellCount()];
        for (Map.Entry<SeriesKey, AtomicLongArray> entry : series.entrySet()) {
            read(entry.getValue(), snapshot);
            seriesPoints(out, attributes, entry.getKey().values, snapshot);
        }
        AtomicLongArray folded = overflow;
        if (folded != null) {
            read(folded, snapshot);
            seriesPoints(out, OVERFLOW_ATTRIBUTES, PrometheusText.OVERFLOW_VALUES, snapshot);
        }
    }

    /** The OpenTelemetry SDK's attribute of an overflow series. */
    private static final String[] OVERFLOW_ATTRIBUTES = {"otel.metric.overflow"};

    /** Says one series' point from a snapshot of its cells. */
    abstract void seriesPoints(MetricPoints out, String[] attributeNames, String[] values, long[] cells);

    private static void read(AtomicLongArray cells, long[] into) {
        for (int i = 0; i < into.length; i++) {
            into[i] = cells.get(i);
        }
    }

    /** Writes one series' samples from a snapshot of its cells (read once, so what is written is self-consistent). */
    abstract void writeSeries(PrometheusText out, String[] labelNames, String[] labelValues, long[] cells);

    /** For tests: series held, not counting the overflow series. */
    int seriesCount() {
        return series.size();
    }
}
