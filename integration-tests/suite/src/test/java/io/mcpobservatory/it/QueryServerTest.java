package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import io.mcpobservatory.testing.Percentiles;
import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;
import org.junit.jupiter.api.io.TempDir;

/**
 * The observatory's own MCP server ({@code java -jar mcp-observatory-query.jar mcp}) driven by the SDK's client, over
 * stdio and streamable HTTP, against what the agent wrote for the test scenario: PostgreSQL rows of a traced server, and
 * the JSON lines of a traced client and server. Each tool's answer is checked against the spans themselves (counts,
 * errors, percentiles, costs, the trace tree, unused tools); bad arguments are tool errors.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class QueryServerTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    /** One directory for the class: the runs of {@link #instrumentedRuns} serve every test. */
    @TempDir
    static Path dir;

    private String url;
    private Path jsonlRun;
    /** The server's spans in PostgreSQL, as rows of column maps. */
    private final List<Map<String, Object>> pgSpans = new ArrayList<>();

    static Path queryJar() {
        Path jar = Paths.get(System.getProperty("it.query.jar", "../../query/target/mcp-observatory-query.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("query jar not built: " + jar + " (run mvn package first)");
        }
        return jar;
    }

    @BeforeAll
    void instrumentedRuns() throws Exception {
        url = TestDatabase.freshSchemaUrl();
        Path pgRun = Files.createDirectories(dir.resolve("pg-run"));
        Scenario.run(pgRun, "2.1.0", "streamable", "-Dobservatory.jdbc.url=" + url,
                "-Dobservatory.heartbeat.interval=1s");
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT replace(trace_id::text, '-', '') AS trace_id, service, "
                     + "mcp_method, tool_name, status, error_type, duration_ms, cost_usd, session_id, attributes::text "
                     + "AS attributes FROM mcp_spans")) {
            while (rs.next()) {
                Map<String, Object> row = new HashMap<>();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    row.put(rs.getMetaData().getColumnLabel(i), rs.getObject(i));
                }
                pgSpans.add(row);
            }
        }
        assertEquals(13, pgSpans.size(), "the scenario's 13 server spans are in PostgreSQL");
        jsonlRun = Files.createDirectories(dir.resolve("jsonl-run"));
        Scenario.runTraced(jsonlRun, "2.1.0", "stdio");
    }

    // --------------------------------------------------------------------------------------------- the calls

    private List<JsonNode> callOverStdio(String name, List<String> source, String... calls) throws Exception {
        List<String> server = new ArrayList<>(List.of(Apps.java(), "-jar", queryJar().toString(), "mcp"));
        server.addAll(source);
        List<String> args = new ArrayList<>(List.of("stdio"));
        args.addAll(server);
        return call(name, args, calls);
    }

    private List<JsonNode> callOverHttp(String name, List<String> source, String... calls) throws Exception {
        List<String> command = new ArrayList<>(List.of(Apps.java(), "-jar", queryJar().toString(), "mcp"));
        command.addAll(source);
        command.addAll(List.of("--http", "0"));
        try (ChildJvm server = ChildJvm.start(dir, name + "-server", command)) {
            String line = server.awaitLine("LISTENING ", Scenario.TIMEOUT);
            String endpoint = line.substring("LISTENING ".length()).trim();
            String base = endpoint.substring(0, endpoint.length() - "/mcp".length());
            List<JsonNode> results = call(name, List.of("streamable", base), calls);
            server.stop(Scenario.TIMEOUT);
            return results;
        }
    }

    private List<JsonNode> call(String name, List<String> args, String... calls) throws Exception {
        Path file = dir.resolve(name + "-calls.txt");
        Files.write(file, List.of(calls));
        List<String> command = Apps.javaCommand(false, List.of("-Dit.calls=" + file), Apps.classPath("2.1.0"),
                "io.mcpobservatory.it.app.ToolCaller", args.toArray(new String[0]));
        try (ChildJvm client = ChildJvm.start(dir, name + "-client", command)) {
            assertEquals(0, client.awaitExit(Scenario.TIMEOUT), "tool caller failed:\n" + client.stdout()
                    + client.stderr());
            String out = client.stdout();
            assertTrue(out.contains("DONE"), out);
            List<JsonNode> results = new ArrayList<>();
            for (String line : out.split("\n")) {
                if (line.startsWith("RESULT ")) {
                    results.add(JSON.readTree(line.substring("RESULT ".length())));
                }
            }
            assertEquals(calls.length, results.size(), out);
            return results;
        }
    }

    private static String call(String tool, String argumentsJson) {
        return tool + "\t" + argumentsJson;
    }

    private static JsonNode ok(JsonNode result) {
        assertFalse(result.path("isError").asBoolean(), "tool error: " + result);
        assertFalse(result.has("jsonrpcError"), "JSON-RPC error: " + result);
        return result.get("structured");
    }

    private static String toolError(JsonNode result) {
        assertTrue(result.path("isError").asBoolean(), "expected a tool error: " + result);
        String text = result.path("text").asText();
        assertFalse(text.contains("\tat ") || text.contains("Exception:\n"), "no stack trace: " + text);
        return text;
    }

    // ------------------------------------------------------------------------------------------ expectations

    private static String key(Object method, Object tool) {
        return method + " " + (tool == null ? "-" : tool);
    }

    private void checkToolStats(JsonNode structured) {
        Map<String, List<Double>> durations = new TreeMap<>();
        Map<String, Integer> errors = new HashMap<>();
        Map<String, Double> costs = new HashMap<>();
        for (Map<String, Object> s : pgSpans) {
            String k = key(s.get("mcp_method"), s.get("tool_name"));
            durations.computeIfAbsent(k, x -> new ArrayList<>()).add((Double) s.get("duration_ms"));
            errors.merge(k, "error".equals(s.get("status")) ? 1 : 0, Integer::sum);
            if (s.get("cost_usd") != null) {
                costs.merge(k, (Double) s.get("cost_usd"), Double::sum);
            }
        }
        JsonNode rows = structured.get("rows");
        assertEquals(durations.size(), rows.size(), rows.toString());
        for (JsonNode row : rows) {
            String k = key(row.get("mcp_method").asText(), row.get("tool_name").isNull() ? null
                    : row.get("tool_name").asText());
            List<Double> d = durations.get(k);
            assertNotNull(d, "no such method/tool in the spans: " + k);
            assertEquals(d.size(), row.get("calls").asInt(), k);
            assertEquals(errors.get(k), row.get("errors").asInt(), k);
            assertEquals(Percentiles.continuous(d, 0.5), row.get("p50_ms").asDouble(), 1e-6, k);
            assertEquals(Percentiles.continuous(d, 0.95), row.get("p95_ms").asDouble(), 1e-6, k);
            assertEquals(Percentiles.continuous(d, 0.99), row.get("p99_ms").asDouble(), 1e-6, k);
            if (costs.containsKey(k)) {
                assertEquals(costs.get(k), row.get("cost_usd").asDouble(), 1e-12, k);
            } else {
                assertTrue(row.get("cost_usd").isNull(), k);
            }
        }
    }

    // ---------------------------------------------------------------------------------------------- the tests

    @Test
    void everyToolOverStdioAgainstPostgres() throws Exception {
        everyToolAgainstPostgres(false);
    }

    @Test
    void everyToolOverHttpAgainstPostgres() throws Exception {
        everyToolAgainstPostgres(true);
    }

    private void everyToolAgainstPostgres(boolean http) throws Exception {
        String slowTrace = pgSpans.stream().filter(s -> "slow".equals(s.get("tool_name")))
                .map(s -> (String) s.get("trace_id")).findFirst().orElseThrow();
        String[] calls = {
                "#tools",
                call("tool_stats", "{\"since\":\"1h\"}"),
                call("tool_stats", "{\"since\":\"1h\",\"method\":\"tools/call\",\"sort\":\"p95_ms\",\"limit\":1}"),
                call("slow_calls", "{\"limit\":3}"),
                call("errors", "{}"),
                call("trace", "{\"trace_id\":\"" + slowTrace + "\"}"),
                call("sessions", "{}"),
                call("costs", "{\"by\":\"tool\"}"),
                call("unused_tools", "{}"),
                call("health", "{}"),
                call("alerts", "{}"),
                call("export", "{\"format\":\"prometheus\"}"),
                "#read\tobservatory://schema"};
        List<JsonNode> r = http ? callOverHttp("pg-http-all", List.of("--jdbc-url", url), calls)
                : callOverStdio("pg-stdio", List.of("--jdbc-url", url), calls);
        assertEquals(new TreeSet<>(List.of("alerts", "costs", "errors", "export", "health", "sessions", "slow_calls",
                "tool_stats", "trace", "unused_tools")), new TreeSet<>(listOf(r.get(0).get("tools"))));

        checkToolStats(ok(r.get(1)));

        Map<String, List<Double>> toolDurations = new TreeMap<>();
        pgSpans.stream().filter(s -> "tools/call".equals(s.get("mcp_method"))).forEach(s -> toolDurations
                .computeIfAbsent((String) s.get("tool_name"), x -> new ArrayList<>()).add((Double) s.get("duration_ms")));
        String slowestTool = toolDurations.entrySet().stream()
                .max(java.util.Comparator.comparingDouble(e -> Percentiles.continuous(e.getValue(), 0.95)))
                .orElseThrow().getKey();
        JsonNode slowest = ok(r.get(2)).get("rows");
        assertEquals(1, slowest.size());
        assertEquals(slowestTool, slowest.get(0).get("tool_name").asText(), "the slowest tool by p95");
        assertTrue(r.get(2).get("text").asText().contains("top: " + slowestTool), r.get(2).toString());

        JsonNode slowCalls = ok(r.get(3)).get("rows");
        assertEquals(3, slowCalls.size());
        double max = pgSpans.stream().mapToDouble(s -> (Double) s.get("duration_ms")).max().orElseThrow();
        assertEquals(max, slowCalls.get(0).get("duration_ms").asDouble(), 1e-9);
        for (int i = 1; i < slowCalls.size(); i++) {
            assertTrue(slowCalls.get(i - 1).get("duration_ms").asDouble() >= slowCalls.get(i).get("duration_ms")
                    .asDouble(), "slowest first: " + slowCalls);
        }

        JsonNode errors = ok(r.get(4));
        Map<String, Integer> byType = new TreeMap<>();
        for (JsonNode row : errors.get("rows")) {
            byType.put(row.get("name").asText() + "|" + row.get("error_type").asText(), row.get("count").asInt());
        }
        assertEquals(Map.of("tools/call add|tool_error", 1, "tools/call is_error|tool_error", 1,
                "tools/call no_such_tool|-32602", 1, "tools/call throws|-32603", 1), byType);
        assertEquals(4, errors.get("latest").size());

        JsonNode trace = ok(r.get(5));
        assertEquals(slowTrace, trace.get("trace_id").asText());
        assertEquals(1, trace.get("spans").asInt());
        assertEquals("tools/call slow", trace.get("roots").get(0).get("name").asText());

        JsonNode sessions = ok(r.get(6)).get("rows");
        long withSession = pgSpans.stream().filter(s -> s.get("session_id") != null).count();
        assertEquals(1, sessions.size(), sessions.toString());
        assertEquals("it-client", sessions.get(0).get("client_name").asText());
        assertEquals(withSession, sessions.get(0).get("calls").asLong());

        JsonNode costs = ok(r.get(7));
        double totalCost = pgSpans.stream().filter(s -> s.get("cost_usd") != null)
                .mapToDouble(s -> (Double) s.get("cost_usd")).sum();
        assertTrue(totalCost > 0, "the scenario has priced spans");
        assertEquals(totalCost, costs.get("total_cost_usd").asDouble(), 1e-12);
        assertEquals(1, costs.get("catalog").size(), "the tool catalog's cost per conversation");

        assertEquals(expectedUnused(pgSpans), namesOf(ok(r.get(8)).get("rows")));

        JsonNode health = ok(r.get(9)).get("rows");
        assertEquals(1, health.size(), health.toString());
        assertEquals("it-server-2.1.0", health.get(0).get("service").asText());
        assertEquals(13, health.get(0).get("spans_recorded").asInt());

        assertEquals(0, ok(r.get(10)).get("rows").size(), "no alert rule, no alert");

        String prometheus = r.get(11).get("text").asText();
        assertFalse(r.get(11).get("isError").asBoolean(), prometheus);
        assertTrue(prometheus.contains("mcp_observatory_tool_calls{service=\"it-server-2.1.0\",mcp_method="
                + "\"tools/call\",tool=\"add\"} 2"), prometheus);
        Scrapes.promtoolAccepts(prometheus, Files.createTempDirectory(dir, "scrape"));

        assertTrue(r.get(12).get("text").asText().contains("listed_tools"), r.get(12).toString());
    }

    private static List<String> listOf(JsonNode array) {
        List<String> out = new ArrayList<>();
        array.forEach(n -> out.add(n.asText()));
        return out;
    }

    private static Set<String> namesOf(JsonNode rows) {
        Set<String> out = new TreeSet<>();
        rows.forEach(n -> out.add(n.get("tool_name").asText()));
        return out;
    }

    /** The tools the tools/list span listed, less those a tools/call span named. */
    private static Set<String> expectedUnused(List<Map<String, Object>> spans) throws Exception {
        Set<String> listed = new TreeSet<>();
        Set<String> called = new HashSet<>();
        for (Map<String, Object> s : spans) {
            if ("tools/list".equals(s.get("mcp_method"))) {
                JsonNode attributes = JSON.readTree((String) s.get("attributes"));
                attributes.get("listed_tools").forEach(n -> listed.add(n.asText()));
            } else if ("tools/call".equals(s.get("mcp_method"))) {
                called.add((String) s.get("tool_name"));
            }
        }
        assertFalse(listed.isEmpty(), "the tools/list span names its tools");
        listed.removeAll(called);
        return listed;
    }

    @Test
    void badArgumentsAreToolErrorsOverHttp() throws Exception {
        List<JsonNode> r = callOverHttp("pg-http", List.of("--jdbc-url", url),
                call("tool_stats", "{\"since\":\"5y\"}"),
                call("tool_stats", "{\"since\":\"banana\"}"),
                call("tool_stats", "{\"since\":\"200d\"}"),
                call("slow_calls", "{\"limit\":0}"),
                call("tool_stats", "{\"tool\":\"no_such_tool_at_all\"}"),
                call("trace", "{\"trace_id\":\"not-a-trace\"}"),
                call("costs", "{\"by\":\"planet\"}"),
                call("alerts", "{\"action\":\"create\",\"name\":\"x\",\"expr\":\"y\"}"),
                call("no_such_tool", "{}"),
                call("tool_stats", "{\"since\":\"1h\"}"));
        assertTrue(toolError(r.get(0)).contains("bad window '5y'"), r.get(0).toString());
        assertTrue(toolError(r.get(1)).contains("bad window 'banana'"), r.get(1).toString());
        assertTrue(toolError(r.get(2)).contains("longer than the 90 days"), r.get(2).toString());
        toolError(r.get(3)); // the SDK's schema check (minimum 1) or ours
        assertTrue(toolError(r.get(4)).contains("unknown tool 'no_such_tool_at_all'"), r.get(4).toString());
        assertTrue(toolError(r.get(4)).contains("slow"), "it names the tools there are: " + r.get(4));
        assertTrue(toolError(r.get(5)).contains("32 hex digits"), r.get(5).toString());
        toolError(r.get(6));
        assertTrue(toolError(r.get(7)).contains("read-only"), r.get(7).toString());
        assertTrue(r.get(8).has("jsonrpcError") || r.get(8).path("isError").asBoolean(),
                "an unknown tool is an error: " + r.get(8));
        checkToolStats(ok(r.get(9)));
    }

    @Test
    void jsonLinesOfAClientAndAServerOverStdio() throws Exception {
        Spans server = Spans.read(jsonlRun.resolve("spans/spans.jsonl"));
        Spans client = Spans.read(jsonlRun.resolve("client-spans/spans.jsonl"));
        JsonNode slowClient = client.where(s -> "slow".equals(Spans.text(s, "tool_name"))).get(0);
        String trace = slowClient.get("trace_id").asText();
        List<JsonNode> r = callOverStdio("jsonl-stdio", List.of("--jsonl", jsonlRun.toString()),
                call("tool_stats", "{\"since\":\"1h\",\"kind\":\"any\",\"method\":\"tools/call\"}"),
                call("trace", "{\"trace_id\":\"" + trace + "\"}"),
                call("health", "{}"),
                call("unused_tools", "{}"),
                call("alerts", "{}"));
        JsonNode stats = ok(r.get(0)).get("rows");
        Map<String, Integer> calls = new TreeMap<>();
        for (JsonNode row : stats) {
            calls.merge(row.get("service").asText() + " " + row.get("tool_name").asText(), row.get("calls").asInt(),
                    Integer::sum);
        }
        Map<String, Integer> expected = new TreeMap<>();
        for (Spans spans : List.of(server, client)) {
            for (JsonNode s : spans.method("tools/call")) {
                expected.merge(s.get("service").asText() + " " + s.get("tool_name").asText(), 1, Integer::sum);
            }
        }
        assertEquals(expected, calls);

        JsonNode tree = ok(r.get(1));
        assertEquals(2, tree.get("spans").asInt(), tree.toString());
        JsonNode root = tree.get("roots").get(0);
        assertEquals("client", root.get("kind").asText());
        assertEquals("it-client-2.1.0", root.get("service").asText());
        JsonNode child = root.get("children").get(0);
        assertEquals("server", child.get("kind").asText());
        assertEquals("it-server-2.1.0", child.get("service").asText());
        assertTrue(r.get(1).get("text").asText().contains("2 services"), r.get(1).toString());

        Set<String> services = new TreeSet<>();
        ok(r.get(2)).get("rows").forEach(n -> services.add(n.get("service").asText()));
        assertEquals(Set.of("it-client-2.1.0", "it-server-2.1.0"), services);

        assertFalse(ok(r.get(3)).get("rows").isEmpty() && !r.get(3).get("text").asText().contains("every listed"),
                r.get(3).toString());
        assertTrue(toolError(r.get(4)).contains("PostgreSQL only"), r.get(4).toString());
    }

    @Test
    void reportRendersInChromium() throws Exception {
        Path html = Paths.get("target/query-report/report.html").toAbsolutePath();
        Files.createDirectories(html.getParent());
        try (ChildJvm report = ChildJvm.start(dir, "report", List.of(Apps.java(), "-jar", queryJar().toString(),
                "report", "--jdbc-url", url, "--since", "1h", "--out", html.toString()))) {
            assertEquals(0, report.awaitExit(Scenario.TIMEOUT), report.stdout() + report.stderr());
            assertEquals(html.toString(), report.stdout().trim(), "it prints the report's path");
        }
        String page = Files.readString(html);
        assertFalse(page.contains("http://") || page.contains("https://") || page.contains("<script src")
                || page.contains("<link"), "self-contained: nothing to fetch");

        JsonNode seen;
        List<String> errors;
        try (Chromium chromium = Chromium.start(dir.resolve("chromium-profile"))) {
            chromium.navigate(html.toUri().toString());
            seen = chromium.evaluate("(() => {"
                    + " const charts = {};"
                    + " for (const svg of document.querySelectorAll('svg.chart')) {"
                    + "  const box = svg.getBoundingClientRect();"
                    + "  const series = [...svg.querySelectorAll('[data-series]')].map(g => ({name: g.dataset.series,"
                    + "   drawn: [...g.querySelectorAll('path,rect,circle')].filter(e => { const b = e.getBBox();"
                    + "    return b.width > 0 || b.height > 0; }).length}));"
                    + "  (charts[svg.dataset.chart] = charts[svg.dataset.chart] || []).push({width: box.width,"
                    + "   height: box.height, series});"
                    + " }"
                    + " const worst = document.querySelector('#worst-tool .big');"
                    + " return {charts, worst: worst && worst.textContent,"
                    + "  toolRows: document.querySelectorAll('#tools tbody tr').length,"
                    + "  external: document.querySelectorAll('img[src],script[src],link[href],iframe').length};"
                    + "})()");
            chromium.screenshot(Paths.get("target/query-report/report.png"));
            errors = chromium.errors();
        }
        assertEquals(List.of(), errors, "the page loads without console errors or failed loads");
        assertEquals(0, seen.get("external").asInt());
        JsonNode charts = seen.get("charts");
        Set<String> tools = new TreeSet<>();
        pgSpans.stream().filter(s -> "tools/call".equals(s.get("mcp_method")))
                .forEach(s -> tools.add((String) s.get("tool_name")));
        for (String chart : List.of("calls", "errors", "p95")) {
            JsonNode c = charts.get(chart).get(0);
            assertTrue(c.get("width").asDouble() > 100 && c.get("height").asDouble() > 50, chart + ": " + c);
            Set<String> names = new TreeSet<>();
            for (JsonNode series : c.get("series")) {
                names.add(series.get("name").asText());
                assertTrue(series.get("drawn").asInt() > 0, chart + " series drawn: " + series);
            }
            assertEquals(tools, names, chart + ": one series per tool called");
        }
        for (String chart : List.of("tokens", "cost")) {
            JsonNode series = charts.get(chart).get(0).get("series");
            assertTrue(series.size() > 0, chart);
            series.forEach(s -> assertTrue(s.get("drawn").asInt() > 0, chart + " bar drawn: " + s));
        }
        assertEquals(10, charts.get("waterfall").size(), "the ten slowest traces, each a waterfall");
        assertEquals(tools.size(), seen.get("toolRows").asInt());
        assertTrue(Set.of("throws", "is_error", "no_such_tool").contains(seen.get("worst").asText()),
                "the worst tool is one that always fails: " + seen.get("worst"));
        assertTrue(Files.size(Paths.get("target/query-report/report.png")) > 10_000, "a screenshot to look at");

        // --serve: the same page, made afresh at every request, refreshing itself
        try (ChildJvm serve = ChildJvm.start(dir, "report-serve", List.of(Apps.java(), "-jar",
                queryJar().toString(), "report", "--jdbc-url", url, "--serve", "0", "--refresh", "5s"))) {
            String at = serve.awaitLine("LISTENING ", Scenario.TIMEOUT).substring("LISTENING ".length()).trim();
            java.net.http.HttpResponse<String> live = java.net.http.HttpClient.newHttpClient().send(
                    java.net.http.HttpRequest.newBuilder(java.net.URI.create(at)).build(),
                    java.net.http.HttpResponse.BodyHandlers.ofString());
            assertEquals(200, live.statusCode());
            assertTrue(live.body().contains("<meta http-equiv=\"refresh\" content=\"5\">"), live.body());
            assertTrue(live.body().contains("data-chart=\"calls\""));
            serve.stop(Scenario.TIMEOUT);
        }
    }
}
