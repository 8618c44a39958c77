package io.mcpobservatory.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.Percentiles;
import java.time.Clock;
import java.time.Instant;
import java.time.LocalDate;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * What every store answers over {@link Synthetic}'s spans, checked against the spans themselves: the JSON-lines store
 * (DuckDB) and the PostgreSQL store run the same tests, so they also agree with each other.
 */
abstract class StoreContract {

    static final Instant NOW = Instant.parse("2026-06-15T08:00:00Z");
    static final Synthetic DATA = new Synthetic(NOW);

    abstract Store store();

    Queries queries() {
        return new Queries(store(), Clock.fixed(NOW, ZoneOffset.UTC));
    }

    @Test
    void toolStatsMatchTheSpans() {
        Queries q = queries();
        Window w = q.window("24h");
        Table t = q.toolStats(w, new Filter(null, null, "tools/call", null, "server"), "calls", 1000);
        Map<String, List<Double>> durations = new TreeMap<>();
        Map<String, Long> errors = new HashMap<>();
        Map<String, Double> cost = new HashMap<>();
        for (Map<String, Object> s : DATA.toolCalls(w.from)) {
            String k = s.get("service") + "|" + s.get("tool_name");
            durations.computeIfAbsent(k, x -> new ArrayList<>()).add((Double) s.get("duration_ms"));
            errors.merge(k, "error".equals(s.get("status")) ? 1L : 0L, Long::sum);
            if (s.get("cost_usd") != null) {
                cost.merge(k, (Double) s.get("cost_usd"), Double::sum);
            }
        }
        assertEquals(durations.size(), t.size());
        for (int i = 0; i < t.size(); i++) {
            String k = t.text(i, "service") + "|" + t.text(i, "tool_name");
            List<Double> d = durations.get(k);
            assertNotNull(d, k);
            assertEquals(d.size(), (long) t.number(i, "calls"), k);
            assertEquals(errors.get(k), (long) t.number(i, "errors"), k);
            assertEquals((double) errors.get(k) / d.size(), t.number(i, "error_rate"), 1e-12, k);
            assertEquals(Percentiles.continuous(d, 0.5), t.number(i, "p50_ms"), 1e-9, k);
            assertEquals(Percentiles.continuous(d, 0.95), t.number(i, "p95_ms"), 1e-9, k);
            assertEquals(Percentiles.continuous(d, 0.99), t.number(i, "p99_ms"), 1e-9, k);
            assertEquals(cost.getOrDefault(k, 0.0), t.number(i, "cost_usd"), 1e-12, k);
            if (i > 0) {
                assertTrue(t.number(i - 1, "calls") >= t.number(i, "calls"), "sorted by calls");
            }
        }
    }

    @Test
    void filtersWindowsAndSorts() {
        Queries q = queries();
        Table weird = q.toolStats(q.window("24h"), new Filter("search-svc", Synthetic.WEIRD, null, null, null),
                "calls", 10);
        assertEquals(1, weird.size());
        assertEquals(Synthetic.WEIRD, weird.text(0, "tool_name"));
        long expected = DATA.toolCalls(q.window("24h").from).stream()
                .filter(s -> s.get("service").equals("search-svc") && Synthetic.WEIRD.equals(s.get("tool_name")))
                .count();
        assertEquals(expected, (long) weird.number(0, "calls"));

        long all30h = DATA.toolCalls(NOW.minusSeconds(31 * 3600)).size();
        Table wide = q.toolStats(q.window("31h"), new Filter(null, null, "tools/call", null, null), "calls", 100);
        long sum = 0;
        for (int i = 0; i < wide.size(); i++) {
            sum += (long) wide.number(i, "calls");
        }
        assertEquals(all30h, sum, "the window decides which spans count");

        Table byP95 = q.toolStats(q.window("24h"), Filter.NONE, "p95_ms", 1);
        assertEquals("fetch_page", byP95.text(0, "tool_name"), "the slowest tool first");
        Table one = q.toolStats(q.window("24h"), new Filter(null, null, null, null, "client"), "calls", 100);
        assertEquals(2, one.size(), "client spans apart: " + one.toText());

        assertThrows(QueryException.class, () -> q.toolStats(q.window("1h"), Filter.NONE, "nonsense", 10));
        assertThrows(QueryException.class, () -> q.window("91d"));
        assertThrows(QueryException.class, () -> q.window("0m"));
        assertThrows(QueryException.class, () -> q.window("yesterday"));
        assertThrows(QueryException.class, () -> q.window("2027-01-01T00:00:00Z"), "a window in the future");
        assertThrows(QueryException.class, () -> Queries.limit(0, 10));
        assertThrows(QueryException.class, () -> Queries.limit(1001, 10));
        assertThrows(QueryException.class, () -> new Filter(null, null, null, null, "both"));
        assertEquals(10, Queries.limit(null, 10));
    }

    @Test
    void sqlInFiltersIsJustAValue() {
        Queries q = queries();
        Table t = q.toolStats(q.window("24h"), new Filter("x' OR '1'='1", "'; DROP TABLE mcp_spans; --", null,
                null, "any"), "calls", 10);
        assertTrue(t.isEmpty());
        assertFalse(q.toolStats(q.window("24h"), Filter.NONE, "calls", 10).isEmpty(), "nothing was dropped");
    }

    @Test
    void slowCallsAndErrors() {
        Queries q = queries();
        Window w = q.window("24h");
        Table slow = q.slowCalls(w, Filter.NONE, 5);
        List<Double> all = new ArrayList<>();
        DATA.spans.stream().filter(s -> s.get("kind").equals("server")
                && !((Instant) s.get("start_time")).isBefore(w.from)).forEach(s -> all.add((Double) s.get("duration_ms")));
        all.sort(java.util.Collections.reverseOrder());
        assertEquals(5, slow.size());
        for (int i = 0; i < 5; i++) {
            assertEquals(all.get(i), slow.number(i, "duration_ms"), 1e-9);
        }
        Table types = q.errorTypes(w, new Filter(null, null, null, null, "any"), 100);
        Map<String, Long> expected = new TreeMap<>();
        DATA.spans.stream().filter(s -> "error".equals(s.get("status"))
                && !((Instant) s.get("start_time")).isBefore(w.from))
                .forEach(s -> expected.merge(s.get("service") + "|" + s.get("name") + "|" + s.get("error_type"), 1L,
                        Long::sum));
        Map<String, Long> got = new TreeMap<>();
        for (int i = 0; i < types.size(); i++) {
            got.put(types.text(i, "service") + "|" + types.text(i, "name") + "|" + types.text(i, "error_type"),
                    (long) types.number(i, "count"));
        }
        assertEquals(expected, got);
        Table latest = q.failingCalls(w, Filter.NONE, 3);
        assertEquals(3, latest.size());
        assertTrue(((Instant) latest.get(0, "start_time")).compareTo((Instant) latest.get(1, "start_time")) >= 0);
    }

    @Test
    void aTraceAcrossServicesIsATree() {
        Queries q = queries();
        TraceTree tree = TraceTree.of(Synthetic.CROSS_TRACE, q.trace(Synthetic.CROSS_TRACE.toUpperCase()));
        assertEquals(4, tree.ordered.size());
        assertEquals(1, tree.roots.size());
        TraceTree.Node root = tree.roots.get(0);
        assertEquals("client", root.span.get("kind"));
        assertEquals("billing", root.span.get("service"));
        TraceTree.Node last = root.children.get(0).children.get(0).children.get(0);
        assertEquals(3, last.depth);
        assertEquals("billing", last.span.get("service"));
        assertEquals("f0f067aa0ba902ba", last.span.get("span_id"), "span ids in hex, the high bit too");
        assertEquals(100.0, tree.durationMs(), 1e-6);
        String text = tree.toText();
        assertTrue(text.contains("4 spans, 2 services"), text);
        assertTrue(text.contains("ERROR -32603: upstream down"), text);
        String dashed = "4bf92f35-77b3-4da6-a3ce-929d0e0e4736";
        assertEquals(4, q.trace(dashed).size(), "a uuid's dashes may stay");
        assertTrue(q.trace("f".repeat(32)).isEmpty());
        assertThrows(QueryException.class, () -> q.trace("xyz"));
        assertThrows(QueryException.class, () -> q.trace("0".repeat(32)));
    }

    @Test
    void sessionsCostsAndTheCatalog() {
        Queries q = queries();
        Window w = q.window("24h");
        Table sessions = q.sessions(w, Filter.NONE, 100);
        Map<String, Long> calls = new TreeMap<>();
        DATA.spans.stream().filter(s -> s.get("session_id") != null && s.get("kind").equals("server")
                && !((Instant) s.get("start_time")).isBefore(w.from))
                .forEach(s -> calls.merge(s.get("session_id") + "|" + s.get("service"), 1L, Long::sum));
        Map<String, Long> got = new TreeMap<>();
        for (int i = 0; i < sessions.size(); i++) {
            got.put(sessions.text(i, "session_id") + "|" + sessions.text(i, "service"),
                    (long) sessions.number(i, "calls"));
        }
        assertEquals(calls, got);

        Table byDay = q.costs(w, new Filter(null, null, null, null, "any"), "day", 100);
        Map<String, Double> days = new TreeMap<>();
        DATA.spans.stream().filter(s -> s.get("cost_usd") != null && !((Instant) s.get("start_time")).isBefore(w.from))
                .forEach(s -> days.merge(LocalDate.ofInstant((Instant) s.get("start_time"), ZoneOffset.UTC).toString(),
                        (Double) s.get("cost_usd"), Double::sum));
        assertEquals(2, days.size(), "the window spans a UTC midnight");
        assertEquals(days.keySet(), new TreeSet<>(columnText(byDay, "day")));
        for (int i = 0; i < byDay.size(); i++) {
            assertEquals(days.get(byDay.text(i, "day")), byDay.number(i, "cost_usd"), 1e-12);
        }
        Table byModel = q.costs(w, new Filter(null, null, null, null, "any"), "model", 100);
        assertEquals(Set.of("gpt-4o", "claude-sonnet-4-5"), new TreeSet<>(columnText(byModel, "model")));
        assertThrows(QueryException.class, () -> q.costs(w, Filter.NONE, "planet", 10));

        Table catalog = q.catalogCost(w, Filter.NONE);
        assertEquals(2, catalog.size());
        assertEquals(420L, (long) catalog.number(0, "prompt_tokens"));
    }

    @Test
    void unusedToolsAreListedButNeverCalled() {
        Queries q = queries();
        Table unused = q.unusedTools(q.window("24h"), Filter.NONE);
        Map<String, Set<String>> got = new TreeMap<>();
        for (int i = 0; i < unused.size(); i++) {
            got.computeIfAbsent(unused.text(i, "service"), x -> new TreeSet<>()).add(unused.text(i, "tool_name"));
        }
        // billing never calls "rarely" (search-svc does, once); neither calls never_called nor "also unused"
        assertEquals(Map.of("billing", Set.of("also unused", "never_called", "rarely"),
                "search-svc", Set.of("also unused", "never_called")), got);
        assertEquals(2L * Synthetic.LISTED.size(), q.listedToolNames(q.window("24h"), Filter.NONE));
        assertEquals(0L, q.listedToolNames(q.window("30m"), Filter.NONE), "no tools/list in the last 30 minutes");
    }

    static List<String> columnText(Table t, String column) {
        List<String> out = new ArrayList<>();
        for (int i = 0; i < t.size(); i++) {
            out.add(t.text(i, column));
        }
        return out;
    }

    @Test
    void seriesForTheReport() {
        Queries q = queries();
        Window w = q.window("24h");
        Table series = q.toolSeries(w, Filter.NONE, java.time.Duration.ofHours(1));
        long calls = 0;
        for (int i = 0; i < series.size(); i++) {
            calls += (long) series.number(i, "calls");
            long bucket = ((Number) series.get(i, "bucket")).longValue();
            assertEquals(0, bucket % 3600, "buckets start on the hour");
        }
        assertEquals(DATA.toolCalls(w.from).size(), calls);
        String html = new Report(q).html("24h", 0);
        assertTrue(html.contains("data-chart=\"calls\""));
        assertTrue(html.contains("data-series=\"" + Report.esc(Synthetic.WEIRD) + "\""), "names escaped in HTML");
        assertFalse(html.contains(Synthetic.WEIRD), "never raw");
    }
}
