package io.mcpobservatory.query;

import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.time.format.DateTimeFormatter;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * The report page: one self-contained HTML file (inline CSS and SVG drawn here, no script, no fetch) that a person reads
 * at a glance. On top, the worst tool (most failing, then slowest) in red; then calls, errors and p95 latency over time
 * per tool, tokens and cost by tool, the ten slowest traces as waterfalls across services, error types, agents' health
 * and the tool catalog's cost per conversation.
 *
 * <p>Every chart is an {@code <svg class="chart" data-chart="...">} whose series are elements with
 * {@code data-series="<tool>"}, so a browser test can check what was drawn.
 */
public final class Report {

    static final String[] COLORS = {"#2563eb", "#dc2626", "#16a34a", "#9333ea", "#ea580c", "#0891b2", "#ca8a04",
            "#db2777", "#4b5563", "#65a30d"};
    private static final int MAX_SERIES = 8;
    private static final DateTimeFormatter HM = DateTimeFormatter.ofPattern("HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter HMS = DateTimeFormatter.ofPattern("HH:mm:ss").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter DAY_HM =
            DateTimeFormatter.ofPattern("MM-dd HH:mm").withZone(ZoneOffset.UTC);
    private static final DateTimeFormatter FULL =
            DateTimeFormatter.ofPattern("yyyy-MM-dd HH:mm:ss 'UTC'").withZone(ZoneOffset.UTC);

    private final Queries queries;

    public Report(Queries queries) {
        this.queries = queries;
    }

    /** The page for the window {@code since}; {@code refreshSeconds > 0} makes it reload itself (--serve). */
    public String html(String since, int refreshSeconds) {
        Window w = queries.window(since);
        Table stats = queries.toolStats(w, new Filter(null, null, "tools/call", null, "server"), "calls",
                Queries.MAX_LIMIT);
        Table all = queries.toolStats(w, Filter.NONE, "calls", Queries.MAX_LIMIT);
        // the charts cover the window from its first tool call on: a run of a minute in a 24 h window is not a spike
        // at the right edge of an empty chart
        Filter calls = new Filter(null, null, "tools/call", null, "server");
        Instant[] extent = queries.extent(w, calls);
        Window shown = w;
        if (extent[0] != null) {
            Instant end = extent[1].plusSeconds(1);
            if (end.isBefore(extent[0].plusSeconds(30))) {
                end = extent[0].plusSeconds(30);
            }
            shown = Window.between(extent[0], end.isAfter(w.to) ? w.to : end);
        }
        Duration bucket = bucket(shown.length());
        Table series = queries.toolSeries(shown, calls, bucket);
        Table costs = queries.costs(w, Filter.NONE, "tool", 30); // server spans: each exchange once
        Table slowest = queries.slowestTraces(w, new Filter(null, null, null, null, "any"), 10);
        Table errorTypes = queries.errorTypes(w, new Filter(null, null, null, null, "any"), 30);
        Table health = queries.health(w, 100);
        Table catalog = queries.catalogCost(w, Filter.NONE);

        StringBuilder h = new StringBuilder(64 * 1024);
        h.append("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\">\n");
        if (refreshSeconds > 0) {
            h.append("<meta http-equiv=\"refresh\" content=\"").append(refreshSeconds).append("\">\n");
        }
        h.append("<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\">\n")
                .append("<title>MCP Observatory report, last ").append(esc(w.label)).append("</title>\n")
                .append("<style>").append(CSS).append("</style>\n</head>\n<body>\n");
        h.append("<header><h1>MCP Observatory</h1><p class=\"sub\">last ").append(esc(w.label)).append(": ")
                .append(FULL.format(w.from)).append(" to ").append(FULL.format(w.to)).append(" &middot; source ")
                .append(esc(queries.store().kind())).append(" <code>").append(esc(queries.store().describe()))
                .append("</code></p></header>\n");

        summary(h, stats, all);
        h.append("<section><h2>Tools</h2>\n");
        toolTable(h, stats);
        h.append("</section>\n");

        List<String> top = topTools(stats);
        h.append("<section><h2>Over time</h2><p class=\"note\">tools/call per tool, ").append(Window.format(bucket))
                .append(" buckets (UTC), from the first call in the window to the last").append(stats.size() > MAX_SERIES ? "; the " + MAX_SERIES
                        + " busiest tools" : "").append("</p>\n<div class=\"charts\">\n");
        List<Long> buckets = buckets(shown, bucket);
        lineChart(h, "calls", "Calls", "", buckets, seriesOf(series, top, buckets, "calls", true), bucket);
        lineChart(h, "errors", "Errors", "", buckets, seriesOf(series, top, buckets, "errors", true), bucket);
        lineChart(h, "p95", "p95 latency", " ms", buckets, seriesOf(series, top, buckets, "p95_ms", false), bucket);
        h.append("</div>\n");
        legend(h, top);
        h.append("</section>\n");

        h.append("<section><h2>Tokens and cost by tool</h2>\n<div class=\"charts\">\n");
        barChart(h, "tokens", "Tokens (input + output)", costs, row -> num(row, costs, "prompt_tokens")
                + num(row, costs, "completion_tokens"), v -> String.format(Locale.ROOT, "%,.0f", v));
        barChart(h, "cost", "Estimated cost (USD)", costs, row -> num(row, costs, "cost_usd"),
                v -> String.format(Locale.ROOT, "$%.6f", v));
        h.append("</div>\n");
        catalog(h, catalog);
        h.append("</section>\n");

        h.append("<section><h2>The ten slowest traces</h2>\n");
        if (slowest.isEmpty()) {
            h.append("<p class=\"empty\">no spans in the window</p>\n");
        }
        for (int i = 0; i < slowest.size(); i++) {
            String id = slowest.text(i, "trace_id");
            waterfall(h, TraceTree.of(id, queries.trace(id)), i);
        }
        h.append("</section>\n");

        h.append("<section><h2>Error types</h2>\n");
        table(h, "errors", errorTypes, List.of("service", "name", "error_type", "count", "last_at",
                "sample_message"));
        h.append("</section>\n");

        h.append("<section><h2>Agents</h2>\n");
        if (queries.store().hasAgents()) {
            table(h, "health", health, List.of("service", "host", "pid", "agent_version", "last_seen_at",
                    "seen_ago_s", "stale", "queue_depth", "spans_recorded", "spans_dropped", "export_failures",
                    "active_alerts"));
        } else {
            h.append("<p class=\"note\">JSON lines carry no heartbeat: each service's latest span.</p>\n");
            table(h, "health", health, health.columns);
        }
        h.append("</section>\n");
        h.append("<footer>MCP Observatory ").append(Main.VERSION).append(" &middot; generated ")
                .append(FULL.format(queries.now())).append("</footer>\n</body>\n</html>\n");
        return h.toString();
    }

    // ------------------------------------------------------------------------------------------------- summary

    /** The worst tool: the highest error rate, then the most errors, then the highest p95. */
    static int worst(Table stats) {
        int best = -1;
        for (int i = 0; i < stats.size(); i++) {
            if (best < 0) {
                best = i;
                continue;
            }
            double er = stats.number(i, "error_rate");
            double bestEr = stats.number(best, "error_rate");
            double errors = stats.number(i, "errors");
            double bestErrors = stats.number(best, "errors");
            if (er > bestEr || (er == bestEr && (errors > bestErrors
                    || (errors == bestErrors && stats.number(i, "p95_ms") > stats.number(best, "p95_ms"))))) {
                best = i;
            }
        }
        return best;
    }

    private void summary(StringBuilder h, Table tools, Table all) {
        long calls = 0;
        long errors = 0;
        double cost = 0;
        for (int i = 0; i < all.size(); i++) {
            calls += (long) all.number(i, "calls");
            errors += (long) all.number(i, "errors");
            cost += all.number(i, "cost_usd");
        }
        h.append("<section class=\"cards\">\n");
        int worst = worst(tools);
        if (worst >= 0) {
            boolean failing = tools.number(worst, "errors") > 0;
            h.append("<div class=\"card worst\" id=\"worst-tool\"><div class=\"label\">")
                    .append(failing ? "Worst tool (most failing)" : "Slowest tool (p95)").append("</div><div class=\"big\">")
                    .append(esc(tools.text(worst, "tool_name"))).append("</div><div class=\"detail\">")
                    .append(esc(tools.text(worst, "service"))).append(" &middot; ")
                    .append(String.format(Locale.ROOT, "%.1f%% errors (%d of %d) &middot; p95 %.1f ms",
                            100 * tools.number(worst, "error_rate"), (long) tools.number(worst, "errors"),
                            (long) tools.number(worst, "calls"), tools.number(worst, "p95_ms")))
                    .append("</div></div>\n");
        } else {
            h.append("<div class=\"card\" id=\"worst-tool\"><div class=\"label\">Tools</div><div class=\"big\">no "
                    + "tool calls</div></div>\n");
        }
        card(h, "Spans", String.format(Locale.ROOT, "%,d", calls), "all methods");
        card(h, "Errors", String.format(Locale.ROOT, "%,d", errors),
                calls == 0 ? "" : String.format(Locale.ROOT, "%.1f%% of spans", 100.0 * errors / calls));
        card(h, "Estimated cost", String.format(Locale.ROOT, "$%.4f", cost), "tokens a model read or wrote");
        h.append("</section>\n");
    }

    private static void card(StringBuilder h, String label, String value, String detail) {
        h.append("<div class=\"card\"><div class=\"label\">").append(esc(label)).append("</div><div class=\"big\">")
                .append(esc(value)).append("</div><div class=\"detail\">").append(esc(detail)).append("</div></div>\n");
    }

    private static void toolTable(StringBuilder h, Table stats) {
        if (stats.isEmpty()) {
            h.append("<p class=\"empty\">no tool calls in the window</p>\n");
            return;
        }
        List<Integer> order = new ArrayList<>();
        for (int i = 0; i < stats.size(); i++) {
            order.add(i);
        }
        order.sort(Comparator.<Integer>comparingDouble(i -> -stats.number(i, "error_rate"))
                .thenComparingDouble(i -> -stats.number(i, "p95_ms")));
        double maxP95 = 0;
        for (int i = 0; i < stats.size(); i++) {
            maxP95 = Math.max(maxP95, stats.number(i, "p95_ms"));
        }
        h.append("<table id=\"tools\"><thead><tr><th>tool</th><th>service</th><th>calls</th><th>errors</th>"
                + "<th>error rate</th><th>p50 ms</th><th>p95 ms</th><th>p99 ms</th><th>tokens</th><th>cost $</th>"
                + "</tr></thead><tbody>\n");
        for (int i : order) {
            double er = stats.number(i, "error_rate");
            double p95 = stats.number(i, "p95_ms");
            h.append("<tr").append(er > 0 ? " class=\"bad\"" : "").append("><td>")
                    .append(esc(stats.text(i, "tool_name"))).append("</td><td>").append(esc(stats.text(i, "service")))
                    .append("</td><td class=\"n\">").append((long) stats.number(i, "calls"))
                    .append("</td><td class=\"n\">").append((long) stats.number(i, "errors"))
                    .append("</td><td class=\"n\"><span class=\"bar err\" style=\"width:")
                    .append(String.format(Locale.ROOT, "%.0f", 60 * er)).append("px\"></span> ")
                    .append(String.format(Locale.ROOT, "%.1f%%", 100 * er)).append("</td><td class=\"n\">")
                    .append(fmt(stats.number(i, "p50_ms"))).append("</td><td class=\"n\"><span class=\"bar\" "
                            + "style=\"width:").append(String.format(Locale.ROOT, "%.0f", maxP95 == 0 ? 0
                            : 60 * p95 / maxP95)).append("px\"></span> ").append(fmt(p95))
                    .append("</td><td class=\"n\">").append(fmt(stats.number(i, "p99_ms")))
                    .append("</td><td class=\"n\">").append(String.format(Locale.ROOT, "%,.0f",
                            stats.number(i, "tokens"))).append("</td><td class=\"n\">")
                    .append(stats.get(i, "cost_usd") == null ? "-" : String.format(Locale.ROOT, "%.6f",
                            stats.number(i, "cost_usd"))).append("</td></tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    // -------------------------------------------------------------------------------------------------- series

    static Duration bucket(Duration window) {
        long target = Math.max(1, window.getSeconds() / 48);
        long[] nice = {1, 5, 10, 15, 30, 60, 120, 300, 600, 900, 1800, 3600, 7200, 10800, 21600, 43200, 86400};
        for (long n : nice) {
            if (n >= target) {
                return Duration.ofSeconds(n);
            }
        }
        return Duration.ofDays(1);
    }

    private static List<Long> buckets(Window w, Duration bucket) {
        long b = bucket.getSeconds();
        long first = Math.floorDiv(w.from.getEpochSecond(), b) * b;
        List<Long> out = new ArrayList<>();
        for (long t = first; t <= w.to.getEpochSecond(); t += b) {
            out.add(t);
        }
        return out;
    }

    private static List<String> topTools(Table stats) {
        Map<String, Double> calls = new LinkedHashMap<>();
        for (int i = 0; i < stats.size(); i++) {
            calls.merge(label(stats.text(i, "tool_name")), stats.number(i, "calls"), Double::sum);
        }
        List<String> names = new ArrayList<>(calls.keySet());
        names.sort(Comparator.comparingDouble((String n) -> -calls.get(n)).thenComparing(n -> n));
        return names.subList(0, Math.min(MAX_SERIES, names.size()));
    }

    private static String label(String tool) {
        return tool == null ? "(unknown tool)" : tool;
    }

    /** Per tool, one value per bucket: summed over services (p95: the largest); null where no call fell. */
    private static Map<String, Double[]> seriesOf(Table series, List<String> tools, List<Long> buckets, String column,
                                                  boolean zeroWhenNone) {
        Map<Long, Integer> index = new LinkedHashMap<>();
        for (int i = 0; i < buckets.size(); i++) {
            index.put(buckets.get(i), i);
        }
        Map<String, Double[]> out = new LinkedHashMap<>();
        for (String t : tools) {
            Double[] values = new Double[buckets.size()];
            if (zeroWhenNone) {
                java.util.Arrays.fill(values, 0.0);
            }
            out.put(t, values);
        }
        for (int i = 0; i < series.size(); i++) {
            Double[] values = out.get(label(series.text(i, "tool_name")));
            Integer at = index.get(((Number) series.get(i, "bucket")).longValue());
            if (values == null || at == null) {
                continue;
            }
            double v = series.number(i, column);
            values[at] = values[at] == null ? v : column.equals("p95_ms") ? Math.max(values[at], v) : values[at] + v;
        }
        return out;
    }

    private static final int W = 540;
    private static final int H = 220;
    private static final int PAD_L = 56;
    private static final int PAD_R = 30;
    private static final int PAD_T = 28;
    private static final int PAD_B = 28;

    private static void lineChart(StringBuilder h, String id, String title, String unit, List<Long> buckets,
                                  Map<String, Double[]> series, Duration bucket) {
        double max = 0;
        for (Double[] values : series.values()) {
            for (Double v : values) {
                if (v != null) {
                    max = Math.max(max, v);
                }
            }
        }
        double top = 4 * niceCeiling(max / 4); // four grid steps of a round size
        h.append("<svg class=\"chart\" data-chart=\"").append(id).append("\" viewBox=\"0 0 ").append(W).append(' ')
                .append(H).append("\" width=\"").append(W).append("\" height=\"").append(H)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n");
        h.append("<text class=\"title\" x=\"").append(PAD_L).append("\" y=\"18\">").append(esc(title))
                .append("</text>\n");
        int plotW = W - PAD_L - PAD_R;
        int plotH = H - PAD_T - PAD_B;
        for (int g = 0; g <= 4; g++) {
            double y = PAD_T + plotH - plotH * g / 4.0;
            h.append(String.format(Locale.ROOT, "<line class=\"grid\" x1=\"%d\" y1=\"%.1f\" x2=\"%d\" y2=\"%.1f\"/>"
                            + "<text class=\"axis\" x=\"%d\" y=\"%.1f\" text-anchor=\"end\">%s</text>%n", PAD_L, y,
                    W - PAD_R, y, PAD_L - 6, y + 4, esc(fmt(top * g / 4) + unit)));
        }
        DateTimeFormatter time = bucket.getSeconds() < 60 ? HMS : bucket.getSeconds() >= 1800 ? DAY_HM : HM;
        int n = buckets.size();
        int step = Math.max(1, n / 6);
        for (int i = 0; i < n; i += step) {
            double x = PAD_L + (n == 1 ? plotW / 2.0 : plotW * i / (double) (n - 1));
            String anchor = x > W - PAD_R - 40 ? "end" : "middle"; // the last label stays inside the chart
            h.append(String.format(Locale.ROOT, "<text class=\"axis\" x=\"%.1f\" y=\"%d\" text-anchor=\"%s\">%s"
                    + "</text>%n", x, H - 8, anchor, time.format(Instant.ofEpochSecond(buckets.get(i)))));
        }
        int c = 0;
        for (Map.Entry<String, Double[]> e : series.entrySet()) {
            String color = COLORS[c++ % COLORS.length];
            StringBuilder d = new StringBuilder();
            StringBuilder dots = new StringBuilder();
            boolean pen = false;
            Double[] values = e.getValue();
            for (int i = 0; i < n; i++) {
                if (values[i] == null) {
                    pen = false;
                    continue;
                }
                double x = PAD_L + (n == 1 ? plotW / 2.0 : plotW * i / (double) (n - 1));
                double y = PAD_T + plotH - (top == 0 ? 0 : plotH * values[i] / top);
                d.append(pen ? " L" : (d.length() == 0 ? "M" : " M")).append(String.format(Locale.ROOT, "%.1f %.1f",
                        x, y));
                pen = true;
                if (values[i] > 0) {
                    dots.append(String.format(Locale.ROOT, "<circle cx=\"%.1f\" cy=\"%.1f\" r=\"2.5\" fill=\"%s\">"
                                    + "<title>%s %s: %s%s</title></circle>", x, y, color, esc(e.getKey()),
                            time.format(Instant.ofEpochSecond(buckets.get(i))), fmt(values[i]), esc(unit)));
                }
            }
            h.append("<g class=\"series\" data-series=\"").append(esc(e.getKey())).append("\">");
            if (d.length() > 0) {
                h.append("<path d=\"").append(d).append("\" fill=\"none\" stroke=\"").append(color)
                        .append("\" stroke-width=\"2\"/>");
            }
            h.append(dots).append("</g>\n");
        }
        h.append("</svg>\n");
    }

    private static void legend(StringBuilder h, List<String> tools) {
        h.append("<div class=\"legend\">");
        for (int i = 0; i < tools.size(); i++) {
            h.append("<span><i style=\"background:").append(COLORS[i % COLORS.length]).append("\"></i>")
                    .append(esc(tools.get(i))).append("</span>");
        }
        h.append("</div>\n");
    }

    interface RowValue {
        double of(int row);
    }

    interface Format {
        String of(double v);
    }

    private static double num(int row, Table t, String column) {
        return t.number(row, column);
    }

    private static void barChart(StringBuilder h, String id, String title, Table t, RowValue value, Format format) {
        List<Integer> rows = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            if (value.of(i) > 0) {
                rows.add(i);
            }
        }
        rows.sort(Comparator.comparingDouble(i -> -value.of(i)));
        rows = rows.subList(0, Math.min(12, rows.size()));
        int rowH = 22;
        int height = Math.max(60, PAD_T + rows.size() * rowH + 8);
        int labelW = 190;
        int plotW = W - labelW - 90;
        double max = 0;
        for (int i : rows) {
            max = Math.max(max, value.of(i));
        }
        h.append("<svg class=\"chart\" data-chart=\"").append(id).append("\" viewBox=\"0 0 ").append(W).append(' ')
                .append(height).append("\" width=\"").append(W).append("\" height=\"").append(height)
                .append("\" role=\"img\" aria-label=\"").append(esc(title)).append("\">\n<text class=\"title\" x=\"8\" "
                        + "y=\"18\">").append(esc(title)).append("</text>\n");
        if (rows.isEmpty()) {
            h.append("<text class=\"axis\" x=\"8\" y=\"44\">nothing counted in the window</text>\n");
        }
        int y = PAD_T;
        int c = 0;
        for (int i : rows) {
            String name = t.text(i, t.columns.get(0));
            double v = value.of(i);
            double w = max == 0 ? 0 : plotW * v / max;
            h.append("<g class=\"series\" data-series=\"").append(esc(name)).append("\"><text class=\"axis\" x=\"")
                    .append(labelW - 6).append("\" y=\"").append(y + 15).append("\" text-anchor=\"end\">")
                    .append(esc(shorten(name, 30))).append("</text><rect x=\"").append(labelW).append("\" y=\"")
                    .append(y + 3).append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", Math.max(1, w)))
                    .append("\" height=\"16\" fill=\"").append(COLORS[c++ % COLORS.length]).append("\"><title>")
                    .append(esc(name)).append(": ").append(esc(format.of(v))).append("</title></rect><text "
                            + "class=\"axis\" x=\"").append(String.format(Locale.ROOT, "%.1f", labelW + w + 6))
                    .append("\" y=\"").append(y + 15).append("\">").append(esc(format.of(v))).append("</text></g>\n");
            y += rowH;
        }
        h.append("</svg>\n");
    }

    private static void catalog(StringBuilder h, Table catalog) {
        h.append("<h3>The tool catalog, paid by every conversation</h3>\n");
        if (catalog.isEmpty()) {
            h.append("<p class=\"empty\">no tools/list answer with a token count in the window</p>\n");
            return;
        }
        h.append("<ul id=\"catalog\">");
        for (int i = 0; i < catalog.size(); i++) {
            h.append("<li><b>").append(esc(catalog.text(i, "service"))).append("</b>: ")
                    .append(String.format(Locale.ROOT, "%,d tokens", (long) catalog.number(i, "prompt_tokens")))
                    .append(catalog.get(i, "cost_usd") == null ? ", cost unknown" : String.format(Locale.ROOT,
                            ", $%.6f", catalog.number(i, "cost_usd")))
                    .append(catalog.get(i, "model") == null ? "" : " with " + esc(catalog.text(i, "model")))
                    .append(" per conversation</li>");
        }
        h.append("</ul>\n");
    }

    private static void waterfall(StringBuilder h, TraceTree tree, int index) {
        if (tree.isEmpty()) {
            return;
        }
        Instant start = tree.start();
        double total = Math.max(tree.durationMs(), 0.001);
        int rowH = 20;
        int labelW = 300;
        int plotW = W + 200 - labelW - 70;
        int height = 34 + tree.ordered.size() * rowH;
        long services = tree.ordered.stream().map(n -> n.span.get("service")).distinct().count();
        h.append("<div class=\"trace\"><div class=\"trace-head\"><b>").append(index + 1).append(".</b> ")
                .append(esc((String) tree.ordered.get(0).span.get("name"))).append(" &middot; ")
                .append(String.format(Locale.ROOT, "%.1f ms, %d spans, %d services", tree.durationMs(),
                        tree.ordered.size(), services)).append(" &middot; <code>").append(tree.traceId)
                .append("</code></div>\n");
        h.append("<svg class=\"chart waterfall\" data-chart=\"waterfall\" data-trace=\"").append(tree.traceId)
                .append("\" viewBox=\"0 0 ").append(W + 200).append(' ').append(height).append("\" width=\"")
                .append(W + 200).append("\" height=\"").append(height).append("\">\n");
        int y = 8;
        Map<Object, String> serviceColor = new LinkedHashMap<>();
        for (TraceTree.Node n : tree.ordered) {
            double offset = Duration.between(start, n.start()).toNanos() / 1e6;
            double x = labelW + plotW * offset / total;
            double w = Math.max(1.5, plotW * n.durationMs() / total);
            boolean error = "error".equals(n.span.get("status"));
            String color = error ? "#dc2626" : serviceColor.computeIfAbsent(n.span.get("service"),
                    s -> COLORS[(serviceColor.size() * 2) % COLORS.length]);
            String name = (String) n.span.get("name");
            h.append("<g class=\"series span\" data-series=\"").append(esc(name)).append("\"><text class=\"axis\" x=\"")
                    .append(4 + 12 * Math.min(n.depth, 8)).append("\" y=\"").append(y + 14).append("\">")
                    .append(esc(shorten(n.span.get("kind") + " " + name + " [" + n.span.get("service") + "]",
                            44 - 2 * Math.min(n.depth, 8)))).append("</text><rect x=\"")
                    .append(String.format(Locale.ROOT, "%.1f", x)).append("\" y=\"").append(y + 3)
                    .append("\" width=\"").append(String.format(Locale.ROOT, "%.1f", w)).append("\" height=\"14\" rx=\"2\" "
                            + "fill=\"").append(color).append("\"><title>").append(esc(name)).append(" [")
                    .append(esc(String.valueOf(n.span.get("service")))).append("] ")
                    .append(String.format(Locale.ROOT, "+%.1f ms, %.1f ms", offset, n.durationMs()))
                    .append(error ? esc(" ERROR " + n.span.get("error_type")) : "").append("</title></rect><text "
                            + "class=\"axis\" x=\"").append(String.format(Locale.ROOT, "%.1f", Math.min(x + w + 4,
                            labelW + plotW + 4))).append("\" y=\"").append(y + 14).append("\">")
                    .append(fmt(n.durationMs())).append(" ms</text></g>\n");
            y += rowH;
        }
        h.append("</svg></div>\n");
    }

    private static void table(StringBuilder h, String id, Table t, List<String> columns) {
        if (t.isEmpty()) {
            h.append("<p class=\"empty\">none in the window</p>\n");
            return;
        }
        h.append("<table id=\"").append(id).append("\"><thead><tr>");
        for (String c : columns) {
            h.append("<th>").append(esc(c.replace('_', ' '))).append("</th>");
        }
        h.append("</tr></thead><tbody>\n");
        for (int i = 0; i < t.size(); i++) {
            boolean bad = t.columns.contains("stale") && Boolean.TRUE.equals(t.get(i, "stale"));
            h.append(bad ? "<tr class=\"bad\">" : "<tr>");
            for (String c : columns) {
                Object v = t.get(i, c);
                h.append(v instanceof Number ? "<td class=\"n\">" : "<td>").append(esc(Table.cell(v))).append("</td>");
            }
            h.append("</tr>\n");
        }
        h.append("</tbody></table>\n");
    }

    // --------------------------------------------------------------------------------------------------- helpers

    static double niceCeiling(double max) {
        if (max <= 0) {
            return 1;
        }
        double magnitude = Math.pow(10, Math.floor(Math.log10(max)));
        for (double m : new double[] {1, 2, 2.5, 5, 10}) {
            if (m * magnitude >= max) {
                return m * magnitude;
            }
        }
        return 10 * magnitude;
    }

    static String fmt(double v) {
        if (v == Math.rint(v) && Math.abs(v) < 1e12) {
            return String.format(Locale.ROOT, "%,d", (long) v);
        }
        return Math.abs(v) >= 100 ? String.format(Locale.ROOT, "%,.0f", v)
                : Math.abs(v) >= 1 ? String.format(Locale.ROOT, "%.1f", v) : String.format(Locale.ROOT, "%.2f", v);
    }

    private static String shorten(String s, int max) {
        return s == null ? "" : s.length() <= max ? s : s.substring(0, Math.max(1, max - 1)) + "\u2026";
    }

    static String esc(String s) {
        if (s == null) {
            return "-";
        }
        StringBuilder b = new StringBuilder(s.length() + 16);
        for (int i = 0; i < s.length(); i++) {
            char ch = s.charAt(i);
            switch (ch) {
                case '<': b.append("&lt;"); break;
                case '>': b.append("&gt;"); break;
                case '&': b.append("&amp;"); break;
                case '"': b.append("&quot;"); break;
                case '\'': b.append("&#39;"); break;
                default: b.append(ch);
            }
        }
        return b.toString();
    }

    private static final String CSS = String.join("\n",
            "body{font:14px/1.4 system-ui,-apple-system,Segoe UI,Roboto,Helvetica,Arial,sans-serif;margin:0;"
                    + "padding:0 24px 24px;color:#111827;background:#f9fafb}",
            "header{padding:16px 0 4px}h1{margin:0;font-size:22px}h2{font-size:17px;margin:0 0 8px}"
                    + "h3{font-size:14px;margin:12px 0 4px}",
            ".sub,.note,footer{color:#6b7280;font-size:12px}section{background:#fff;border:1px solid #e5e7eb;"
                    + "border-radius:8px;padding:12px 16px;margin:12px 0}",
            ".cards{display:flex;gap:12px;flex-wrap:wrap;background:none;border:none;padding:0}"
                    + ".card{background:#fff;border:1px solid #e5e7eb;border-radius:8px;padding:10px 16px;"
                    + "min-width:150px}",
            ".card .label{color:#6b7280;font-size:12px}.card .big{font-size:24px;font-weight:600}"
                    + ".card .detail{font-size:12px;color:#374151}",
            ".card.worst{border:2px solid #dc2626;background:#fef2f2;min-width:320px}.card.worst .big{color:#b91c1c}",
            "table{border-collapse:collapse;width:100%;font-size:13px}th,td{text-align:left;padding:3px 8px;"
                    + "border-bottom:1px solid #f3f4f6;vertical-align:top}th{color:#6b7280;font-weight:500}",
            "td.n{text-align:right;font-variant-numeric:tabular-nums;white-space:nowrap}tr.bad td{background:#fef2f2}",
            ".bar{display:inline-block;height:8px;background:#93c5fd;border-radius:2px}.bar.err{background:#fca5a5}",
            ".charts{display:flex;flex-wrap:wrap;gap:12px}svg.chart{background:#fff;max-width:100%;height:auto}",
            "svg .title{font-size:13px;font-weight:600;fill:#111827}svg .axis{font-size:11px;fill:#4b5563}"
                    + "svg .grid{stroke:#e5e7eb}",
            ".legend span{margin-right:14px;font-size:12px}.legend i{display:inline-block;width:10px;height:10px;"
                    + "margin-right:4px;border-radius:2px}",
            ".trace{margin:8px 0 14px}.trace-head{font-size:13px;margin-bottom:2px}code{font-size:12px}",
            ".empty{color:#6b7280;font-style:italic}");
}
