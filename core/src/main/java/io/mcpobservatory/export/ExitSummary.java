package io.mcpobservatory.export;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.SessionEnd;
import io.mcpobservatory.bootstrap.Span;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.AbstractHistogram;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.PackedHistogram;

/**
 * Per-method and per-tool latency and error counts, printed as a table on stderr when the JVM exits. Updated only by the
 * drainer thread. Rows are capped: names come from clients (unknown tools, made-up methods), and a flood of distinct
 * names must not grow memory, so past the cap they share one {@code (other)} row.
 */
public final class ExitSummary {

    static final int MAX_ROWS_PER_KIND = 200;
    private static final String OTHER = "(other)";
    private static final long HIGHEST_MICROS = 3_600_000_000L; // one hour; longer spans are clamped
    /**
     * Busy rows record into a flat histogram: recording a value there costs ~2 ns against ~23 ns in the packed one, and
     * the summary is most of what the drainer does per span; a drainer slower than the application leaves a backlog in
     * the queue, which the application thread then pays for in GC (see SpanPipeline#accept). A flat histogram is 27 KB,
     * so only the first {@link #MAX_FLAT_ROWS} rows to reach {@link #FLAT_AFTER_CALLS} calls get one (at most ~435 KB).
     */
    static final int MAX_FLAT_ROWS = 16;
    static final long FLAT_AFTER_CALLS = 4096;
    private int flatRows;

    private final Map<String, Row> methods = new LinkedHashMap<>();
    /** The latest tools/list catalog's size in tokens, and its model and cost: what every conversation pays up front. */
    private long catalogTokens = -1;
    private Double catalogCost;
    private String catalogModel;
    private final Map<String, Row> tools = new LinkedHashMap<>();
    /** Sessions ended, by side and transport (at most a handful of rows: the names are ours, not the clients'). */
    private final Map<String, SessionRow> sessions = new LinkedHashMap<>();
    private long spans;
    /** The previous span's rows, by reference: see {@link #add(Span)}. */
    private McpMethod lastMethod;
    private String lastKind;
    private Row lastMethodRow;
    private String lastToolName;
    private Row lastToolRow;

    public void add(Span span) {
        spans++;
        add(methodRow(span), span);
        if (span.toolName != null) {
            if (span.toolName != lastToolName) { // consecutive calls of one tool mostly carry the very same string
                lastToolName = span.toolName;
                lastToolRow = row(tools, span.toolName);
            }
            add(lastToolRow, span);
        }
        if (span.method == McpMethod.TOOLS_LIST && span.promptTokens >= 0) {
            catalogTokens = span.promptTokens;
            catalogCost = span.costUsd;
            catalogModel = span.model;
        }
    }

    /** The span's method row; the previous span's again when it had the same method and kind (no lookup). */
    private Row methodRow(Span span) {
        if (span.method != lastMethod || span.kind != lastKind || lastMethodRow == null) {
            lastMethod = span.method;
            lastKind = span.kind;
            lastMethodRow = row(methods, span.isServer() ? span.method.name : span.kind + " " + span.method.name);
        }
        return lastMethodRow;
    }

    private void add(Row row, Span span) {
        row.add(span);
        if (row.calls == FLAT_AFTER_CALLS && flatRows < MAX_FLAT_ROWS) {
            row.flat = new Histogram(HIGHEST_MICROS, 2);
            flatRows++;
        }
    }

    /** A session ended (closed by its transport, or open at exit): its duration, by side and transport. */
    public void add(SessionEnd end) {
        sessions.computeIfAbsent(end.kind + " " + end.transport, key -> new SessionRow()).add(end);
    }

    private static Row row(Map<String, Row> rows, String name) {
        Row row = rows.get(name);
        if (row == null) {
            if (rows.size() >= MAX_ROWS_PER_KIND) {
                name = OTHER;
                row = rows.get(OTHER);
            }
            if (row == null) {
                row = new Row();
                rows.put(name, row);
            }
        }
        return row;
    }

    /** For tests: a tool's row, or null. */
    Row toolRow(String tool) {
        return tools.get(tool);
    }

    public long spans() {
        return spans;
    }

    /** The table, or an empty string when there was nothing to report. */
    public String render() {
        if (spans == 0 && sessions.isEmpty()) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        if (spans > 0) {
            out.append(String.format(Locale.ROOT, "  %-7s %-32s %8s %8s %10s %10s %10s %12s %12s %10s%n",
                    "", "name", "calls", "errors", "p50 ms", "p95 ms", "max ms", "in tokens", "out tokens", "cost $"));
        }
        appendRows(out, "method", methods);
        appendRows(out, "tool", tools);
        if (catalogTokens >= 0) {
            out.append(String.format(Locale.ROOT, "  tool catalog (tools/list): %d tokens, %s per conversation%s%n",
                    catalogTokens, catalogCost == null ? "cost unknown" : String.format(Locale.ROOT, "$%.6f",
                            catalogCost), catalogModel == null ? "" : " with " + catalogModel));
        }
        sessions.forEach((name, row) -> out.append(String.format(Locale.ROOT,
                "  sessions (%s): %d ended (%d of them open at exit), duration p50 %d ms, max %d ms%n", name,
                row.ended, row.atExit,
                // the histogram answers with its bucket's top (2 significant digits), which can pass the exact max
                Math.min(row.millis.getValueAtPercentile(50), row.maxMillis), row.maxMillis)));
        return out.toString();
    }

    private static void appendRows(StringBuilder out, String kind, Map<String, Row> rows) {
        List<Map.Entry<String, Row>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue().calls, a.getValue().calls));
        for (Map.Entry<String, Row> entry : sorted) {
            Row row = entry.getValue();
            AbstractHistogram latency = row.latency();
            out.append(String.format(Locale.ROOT, "  %-7s %-32s %8d %8d %10.2f %10.2f %10.2f %12s %12s %10s%n",
                    kind, shorten(entry.getKey()), row.calls, row.errors,
                    latency.getValueAtPercentile(50) / 1000.0,
                    latency.getValueAtPercentile(95) / 1000.0,
                    latency.getMaxValue() / 1000.0,
                    row.spansWithTokens == 0 ? "" : Long.toString(row.promptTokens),
                    row.spansWithTokens == 0 ? "" : Long.toString(row.completionTokens),
                    row.spansWithCost == 0 ? "" : String.format(Locale.ROOT, "%.6f", row.costUsd)));
        }
    }

    private static String shorten(String name) {
        return name.length() <= 32 ? name : name.substring(0, 29) + "...";
    }

    /** Sessions of one side and transport: how many ended, and their durations in milliseconds (up to 30 days). */
    static final class SessionRow {
        long ended;
        long atExit;
        long maxMillis;
        final PackedHistogram millis = new PackedHistogram(30L * 24 * 3_600_000, 2);

        void add(SessionEnd end) {
            ended++;
            if (end.atExit) {
                atExit++;
            }
            long duration = Math.min(Math.max(0, end.durationNanos() / 1_000_000), millis.getHighestTrackableValue());
            millis.recordValue(duration);
            maxMillis = Math.max(maxMillis, duration); // exact, where the histogram's is its bucket's top
        }
    }

    /**
     * Calls, errors and a latency histogram in microseconds (2 significant digits). Packed: its memory grows with the
     * distinct latencies seen (a few hundred bytes for a typical tool) instead of the 27 KB of a flat array over the
     * one-hour range, so the 400 rows the summary may hold stay well under a megabyte. A busy row also gets a flat
     * histogram of the same range and precision (see {@link #MAX_FLAT_ROWS}) that takes its later values.
     */
    static final class Row {
        long calls;
        long errors;
        long spansWithTokens;
        long promptTokens;
        long completionTokens;
        long spansWithCost;
        double costUsd;
        final PackedHistogram packed = new PackedHistogram(HIGHEST_MICROS, 2);
        Histogram flat;

        void add(Span span) {
            calls++;
            if (Span.STATUS_ERROR.equals(span.status)) {
                errors++;
            }
            if (span.promptTokens >= 0 || span.completionTokens >= 0) {
                spansWithTokens++;
                promptTokens += Math.max(0, span.promptTokens);
                completionTokens += Math.max(0, span.completionTokens);
            }
            if (span.costUsd != null) {
                spansWithCost++;
                costUsd += span.costUsd;
            }
            long micros = Math.min(Math.max(0, span.durationNanos() / 1_000), HIGHEST_MICROS);
            if (flat != null) {
                flat.recordValue(micros);
            } else {
                packed.recordValue(micros);
            }
        }

        /** All the latencies recorded: both histograms have the same buckets, so the sum reads as one. */
        AbstractHistogram latency() {
            if (flat == null) {
                return packed;
            }
            Histogram all = flat.copy();
            all.add(packed);
            return all;
        }
    }
}
