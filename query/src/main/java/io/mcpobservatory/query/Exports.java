package io.mcpobservatory.query;

import java.math.BigDecimal;
import java.time.Instant;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import tools.jackson.databind.SerializationFeature;
import tools.jackson.databind.json.JsonMapper;

/**
 * A table in the four export formats: JSON (an object with the window and the rows), CSV (RFC 4180: every field that
 * holds a comma, a quote or a line break is quoted, quotes doubled, CRLF line ends), the Prometheus text exposition
 * format (tool statistics only: gauges and a summary) and InfluxDB line protocol (tool statistics only, escaped per its
 * spec).
 */
public final class Exports {

    public static final List<String> FORMATS = List.of("json", "csv", "prometheus", "influx");
    static final JsonMapper JSON = JsonMapper.builder().enable(SerializationFeature.INDENT_OUTPUT).build();

    private Exports() {
    }

    public static String format(String format, String what, Table table, Window window, String source) {
        switch (format == null ? "" : format.trim().toLowerCase(Locale.ROOT)) {
            case "json": return json(what, table, window, source);
            case "csv": return csv(table);
            case "prometheus": requireToolStats(format, what); return prometheus(table, window);
            case "influx": requireToolStats(format, what); return influx(table, window);
            default: throw new QueryException("format must be one of " + FORMATS + ", not '" + format + "'");
        }
    }

    private static void requireToolStats(String format, String what) {
        if (!"tool_stats".equals(what)) {
            throw new QueryException(format + " exports tool_stats only (metrics); use json or csv for " + what);
        }
    }

    public static String json(String what, Table table, Window window, String source) {
        Map<String, Object> doc = new LinkedHashMap<>();
        doc.put("what", what);
        doc.put("window", Map.of("from", window.from.toString(), "to", window.to.toString()));
        doc.put("source", source);
        doc.put("rows", table.toMaps());
        return JSON.writeValueAsString(doc) + "\n";
    }

    // ------------------------------------------------------------------------------------------------------- CSV

    public static String csv(Table table) {
        StringBuilder out = new StringBuilder();
        for (int c = 0; c < table.columns.size(); c++) {
            out.append(c == 0 ? "" : ",").append(csvField(table.columns.get(c)));
        }
        out.append("\r\n");
        for (Object[] row : table.rows) {
            for (int c = 0; c < row.length; c++) {
                out.append(c == 0 ? "" : ",").append(csvField(plain(row[c])));
            }
            out.append("\r\n");
        }
        return out.toString();
    }

    static String csvField(String s) {
        if (s == null) {
            return "";
        }
        if (s.indexOf(',') >= 0 || s.indexOf('"') >= 0 || s.indexOf('\n') >= 0 || s.indexOf('\r') >= 0
                || (!s.isEmpty() && (s.charAt(0) == ' ' || s.charAt(s.length() - 1) == ' '))) {
            return '"' + s.replace("\"", "\"\"") + '"';
        }
        return s;
    }

    /** A value as text in CSV and Influx: numbers without exponents, instants in ISO-8601, null as null. */
    static String plain(Object v) {
        if (v == null) {
            return null;
        }
        if (v instanceof Double) {
            double d = (Double) v;
            if (Double.isNaN(d) || Double.isInfinite(d)) {
                return null;
            }
            // 12 significant digits: what was measured, without the binary fraction's noise (78.0314, not
            // 78.03139999999999)
            return new BigDecimal(d).round(new java.math.MathContext(12)).stripTrailingZeros().toPlainString();
        }
        if (v instanceof Instant) {
            return v.toString();
        }
        return v.toString();
    }

    // ------------------------------------------------------------------------------------------------ Prometheus

    public static String prometheus(Table t, Window window) {
        StringBuilder out = new StringBuilder();
        String over = " over the window " + window.from + " to " + window.to;
        gauge(out, t, "mcp_observatory_tool_calls", "Calls" + over + ", per service, MCP method and tool.", "calls", 1);
        gauge(out, t, "mcp_observatory_tool_errors", "Calls that failed" + over + ".", "errors", 1);
        gauge(out, t, "mcp_observatory_tool_error_ratio", "Share of calls that failed" + over + ", 0 to 1.",
                "error_rate", 1);
        out.append("# HELP mcp_observatory_tool_duration_seconds Call durations").append(over)
                .append(": quantiles (interpolated), sum and count.\n");
        out.append("# TYPE mcp_observatory_tool_duration_seconds summary\n");
        for (Object[] row : t.rows) {
            String labels = labels(t, row);
            for (String[] q : new String[][] {{"0.5", "p50_ms"}, {"0.95", "p95_ms"}, {"0.99", "p99_ms"}}) {
                Object v = row[t.column(q[1])];
                if (v != null) {
                    out.append("mcp_observatory_tool_duration_seconds{").append(labels).append(",quantile=\"")
                            .append(q[0]).append("\"} ").append(number(((Number) v).doubleValue() / 1000.0))
                            .append('\n');
                }
            }
            Object sum = row[t.column("sum_ms")];
            out.append("mcp_observatory_tool_duration_seconds_sum{").append(labels).append("} ")
                    .append(number(sum == null ? 0 : ((Number) sum).doubleValue() / 1000.0)).append('\n');
            out.append("mcp_observatory_tool_duration_seconds_count{").append(labels).append("} ")
                    .append(number(((Number) row[t.column("calls")]).doubleValue())).append('\n');
        }
        out.append("# HELP mcp_observatory_tool_tokens Tokens put into (input) or generated for (output) a model's "
                + "context").append(over).append(", estimated by the agent.\n");
        out.append("# TYPE mcp_observatory_tool_tokens gauge\n");
        for (Object[] row : t.rows) {
            for (String[] k : new String[][] {{"input", "prompt_tokens"}, {"output", "completion_tokens"}}) {
                Object v = row[t.column(k[1])];
                if (v != null) {
                    out.append("mcp_observatory_tool_tokens{").append(labels(t, row)).append(",token_type=\"")
                            .append(k[0]).append("\"} ").append(number(((Number) v).doubleValue())).append('\n');
                }
            }
        }
        gauge(out, t, "mcp_observatory_tool_cost_usd", "Estimated model cost in US dollars" + over + ".", "cost_usd",
                1);
        return out.toString();
    }

    private static void gauge(StringBuilder out, Table t, String name, String help, String column, double scale) {
        out.append("# HELP ").append(name).append(' ').append(help).append('\n');
        out.append("# TYPE ").append(name).append(" gauge\n");
        int c = t.column(column);
        for (Object[] row : t.rows) {
            if (row[c] != null) {
                out.append(name).append('{').append(labels(t, row)).append("} ")
                        .append(number(((Number) row[c]).doubleValue() * scale)).append('\n');
            }
        }
    }

    private static String labels(Table t, Object[] row) {
        return "service=\"" + labelValue(row[t.column("service")]) + "\",mcp_method=\""
                + labelValue(row[t.column("mcp_method")]) + "\",tool=\"" + labelValue(row[t.column("tool_name")])
                + "\"";
    }

    /** Escaped as the exposition format says: backslash, double quote and line feed. */
    static String labelValue(Object v) {
        if (v == null) {
            return "";
        }
        return v.toString().replace("\\", "\\\\").replace("\"", "\\\"").replace("\n", "\\n");
    }

    static String number(double d) {
        if (Double.isNaN(d)) {
            return "NaN";
        }
        if (Double.isInfinite(d)) {
            return d > 0 ? "+Inf" : "-Inf";
        }
        if (d == Math.rint(d) && Math.abs(d) < 1e15) {
            return Long.toString((long) d);
        }
        return Double.toString(d);
    }

    // --------------------------------------------------------------------------------------------- Influx line

    /** One line per service, method and tool, measurement mcp_tool_stats, timestamped at the window's end (ns). */
    public static String influx(Table t, Window window) {
        long ts = window.to.getEpochSecond() * 1_000_000_000L + window.to.getNano();
        StringBuilder out = new StringBuilder();
        for (Object[] row : t.rows) {
            out.append("mcp_tool_stats");
            tag(out, "service", row[t.column("service")]);
            tag(out, "mcp_method", row[t.column("mcp_method")]);
            tag(out, "tool", row[t.column("tool_name")]);
            out.append(' ');
            boolean first = true;
            for (String c : t.columns) {
                if (c.equals("service") || c.equals("mcp_method") || c.equals("tool_name")) {
                    continue;
                }
                Object v = row[t.column(c)];
                if (v == null || (v instanceof Double && (((Double) v).isNaN() || ((Double) v).isInfinite()))) {
                    continue;
                }
                out.append(first ? "" : ",").append(influxKey(c)).append('=');
                if (v instanceof Long) {
                    out.append(v).append('i');
                } else if (v instanceof Double) {
                    out.append(plain(v));
                } else if (v instanceof Boolean) {
                    out.append(v);
                } else {
                    out.append('"').append(v.toString().replace("\\", "\\\\").replace("\"", "\\\"")).append('"');
                }
                first = false;
            }
            out.append(' ').append(ts).append('\n');
        }
        return out.toString();
    }

    private static void tag(StringBuilder out, String key, Object value) {
        if (value == null || value.toString().isEmpty()) {
            return; // line protocol has no empty tag values: the tag is left out
        }
        out.append(',').append(influxKey(key)).append('=').append(influxKey(value.toString()));
    }

    /**
     * Tag keys, tag values and field keys: comma, equals sign and space escaped with a backslash; a line break (which
     * line protocol cannot carry there) becomes a space. A backslash stays as it is (InfluxDB reads a lone one
     * literally, 1.x and 2.x alike), except where it would escape what follows (before a comma, equals sign or space,
     * or at the end): there it is doubled, as the spec says (InfluxDB 1.x keeps both).
     */
    static String influxKey(String s) {
        StringBuilder b = new StringBuilder(s.length() + 8);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '\\': {
                    char next = i + 1 < s.length() ? s.charAt(i + 1) : ' ';
                    b.append(next == ',' || next == '=' || next == ' ' || next == '\n' || next == '\r' ? "\\\\" : "\\");
                    break;
                }
                case ',': b.append("\\,"); break;
                case '=': b.append("\\="); break;
                case ' ': b.append("\\ "); break;
                case '\n': case '\r': b.append("\\ "); break;
                default: b.append(ch);
            }
        }
        return b.toString();
    }
}
