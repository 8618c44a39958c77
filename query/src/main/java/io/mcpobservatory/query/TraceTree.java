package io.mcpobservatory.query;

import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;

/**
 * One trace's spans as a tree: each span under its parent (by parent_span_id), roots being the spans whose parent is
 * not in the trace (a caller without the agent, or the trace's first span). Across services: a client span in one JVM
 * is the parent of the server span in another.
 */
public final class TraceTree {

    /** A span and its children, in start order. */
    public static final class Node {
        public final Map<String, Object> span;
        public final List<Node> children = new ArrayList<>();
        public int depth;

        Node(Map<String, Object> span) {
            this.span = span;
        }

        public Instant start() {
            return Instant.parse((String) span.get("start_time"));
        }

        public double durationMs() {
            Object d = span.get("duration_ms");
            return d == null ? 0 : ((Number) d).doubleValue();
        }
    }

    public final String traceId;
    public final List<Node> roots;
    /** Every node, depth first (parents before children), for waterfalls and text. */
    public final List<Node> ordered;

    private TraceTree(String traceId, List<Node> roots, List<Node> ordered) {
        this.traceId = traceId;
        this.roots = roots;
        this.ordered = ordered;
    }

    public static TraceTree of(String traceId, Table spans) {
        List<Map<String, Object>> rows = spans.toMaps();
        Map<String, Node> byId = new HashMap<>();
        List<Node> nodes = new ArrayList<>();
        for (Map<String, Object> row : rows) {
            Node n = new Node(row);
            nodes.add(n);
            byId.putIfAbsent((String) row.get("span_id"), n);
        }
        List<Node> roots = new ArrayList<>();
        for (Node n : nodes) {
            Node parent = byId.get((String) n.span.get("parent_span_id"));
            if (parent == null || parent == n) {
                roots.add(n);
            } else {
                parent.children.add(n);
            }
        }
        List<Node> ordered = new ArrayList<>();
        for (Node r : roots) {
            walk(r, 0, ordered, 0);
        }
        return new TraceTree(traceId, roots, ordered);
    }

    private static void walk(Node n, int depth, List<Node> out, int guard) {
        if (guard > 200) {
            return; // a cycle in bad data: stop, do not overflow
        }
        n.depth = depth;
        out.add(n);
        for (Node c : n.children) {
            walk(c, depth + 1, out, guard + 1);
        }
    }

    public boolean isEmpty() {
        return ordered.isEmpty();
    }

    public Instant start() {
        Instant s = null;
        for (Node n : ordered) {
            if (s == null || n.start().isBefore(s)) {
                s = n.start();
            }
        }
        return s;
    }

    /** From the first start to the last end, in ms. */
    public double durationMs() {
        Instant s = start();
        double end = 0;
        for (Node n : ordered) {
            end = Math.max(end, Duration.between(s, n.start()).toNanos() / 1e6 + n.durationMs());
        }
        return end;
    }

    /** Indented lines: offset from the trace's start, duration, service, name, status. */
    public String toText() {
        if (ordered.isEmpty()) {
            return "no spans with trace id " + traceId;
        }
        Instant s = start();
        StringBuilder out = new StringBuilder(String.format(Locale.ROOT, "trace %s: %d spans, %d services, %.1f ms%n",
                traceId, ordered.size(), ordered.stream().map(n -> n.span.get("service")).distinct().count(),
                durationMs()));
        for (Node n : ordered) {
            double offset = Duration.between(s, n.start()).toNanos() / 1e6;
            Object error = n.span.get("error_type");
            out.append(String.format(Locale.ROOT, "%s+%8.1f ms %9.1f ms  %-6s %s [%s]%s%n", "  ".repeat(n.depth),
                    offset, n.durationMs(), n.span.get("kind"), n.span.get("name"), n.span.get("service"),
                    error == null ? "" : "  ERROR " + error
                            + (n.span.get("error_message") == null ? "" : ": " + Table.cell(n.span.get("error_message")))));
        }
        return out.toString();
    }

    /** Nested maps: each span's fields plus {@code children}. */
    public List<Map<String, Object>> toNested() {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Node r : roots) {
            out.add(nested(r, 0));
        }
        return out;
    }

    private static Map<String, Object> nested(Node n, int guard) {
        Map<String, Object> m = new LinkedHashMap<>(n.span);
        List<Map<String, Object>> kids = new ArrayList<>();
        if (guard < 200) {
            for (Node c : n.children) {
                kids.add(nested(c, guard + 1));
            }
        }
        m.put("children", kids);
        return m;
    }
}
