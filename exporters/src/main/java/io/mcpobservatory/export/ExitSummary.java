package io.mcpobservatory.export;

import io.mcpobservatory.bootstrap.TraceContext;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import org.HdrHistogram.Histogram;

/**
 * Per-method and per-tool latency and error counts, printed as a table on stderr when the JVM exits. Updated only by the
 * drainer thread. Rows are capped: names come from clients (unknown tools, made-up methods), and a flood of distinct
 * names must not grow memory, so past the cap they share one {@code (other)} row.
 */
public final class ExitSummary {

    static final int MAX_ROWS_PER_KIND = 200;
    private static final String OTHER = "(other)";
    private static final long HIGHEST_MICROS = 3_600_000_000L; // one hour; longer spans are clamped

    private final Map<String, Row> methods = new LinkedHashMap<>();
    private final Map<String, Row> tools = new LinkedHashMap<>();
    private long spans;

    public void add(TraceContext span) {
        spans++;
        String method = span.kind.equals(TraceContext.KIND_SERVER) ? span.method : span.kind + " " + span.method;
        row(methods, method).add(span);
        if (span.toolName != null) {
            row(tools, span.toolName).add(span);
        }
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

    public long spans() {
        return spans;
    }

    /** The table, or an empty string when there was nothing to report. */
    public String render() {
        if (spans == 0) {
            return "";
        }
        StringBuilder out = new StringBuilder();
        out.append(String.format(Locale.ROOT, "  %-7s %-32s %8s %8s %10s %10s %10s%n",
                "", "name", "calls", "errors", "p50 ms", "p95 ms", "max ms"));
        appendRows(out, "method", methods);
        appendRows(out, "tool", tools);
        return out.toString();
    }

    private static void appendRows(StringBuilder out, String kind, Map<String, Row> rows) {
        List<Map.Entry<String, Row>> sorted = new ArrayList<>(rows.entrySet());
        sorted.sort((a, b) -> Long.compare(b.getValue().calls, a.getValue().calls));
        for (Map.Entry<String, Row> entry : sorted) {
            Row row = entry.getValue();
            out.append(String.format(Locale.ROOT, "  %-7s %-32s %8d %8d %10.2f %10.2f %10.2f%n",
                    kind, shorten(entry.getKey()), row.calls, row.errors,
                    row.latency.getValueAtPercentile(50) / 1000.0,
                    row.latency.getValueAtPercentile(95) / 1000.0,
                    row.latency.getMaxValue() / 1000.0));
        }
    }

    private static String shorten(String name) {
        return name.length() <= 32 ? name : name.substring(0, 29) + "...";
    }

    /** Calls, errors and a latency histogram in microseconds (2 significant digits, a few kB per row). */
    static final class Row {
        long calls;
        long errors;
        final Histogram latency = new Histogram(HIGHEST_MICROS, 2);

        void add(TraceContext span) {
            calls++;
            if (TraceContext.STATUS_ERROR.equals(span.status)) {
                errors++;
            }
            long micros = Math.max(0, span.durationNanos() / 1_000);
            latency.recordValue(Math.min(micros, HIGHEST_MICROS));
        }
    }
}
