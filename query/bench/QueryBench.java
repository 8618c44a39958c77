import io.mcpobservatory.query.Filter;
import io.mcpobservatory.query.JsonLinesStore;
import io.mcpobservatory.query.PostgresStore;
import io.mcpobservatory.query.Queries;
import io.mcpobservatory.query.Table;
import io.mcpobservatory.query.Window;
import java.io.BufferedReader;
import java.io.BufferedWriter;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.Statement;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;
import tools.jackson.databind.JsonNode;
import tools.jackson.databind.json.JsonMapper;

/**
 * How long the query module takes over N spans: the JSON-lines store (DuckDB: the load, then queries on the loaded
 * table), the same tool_stats question answered by a hand-rolled scan (Jackson line by line, sort for percentiles), and
 * PostgreSQL over N rows of mcp_spans.
 *
 *   java -cp query/target/mcp-observatory-query.jar query/bench/QueryBench.java 1000000 [jdbc-url]
 */
public class QueryBench {

    static final List<String> TOOLS = List.of("search", "fetch_page", "summarize", "translate", "lookup", "book",
            "convert", "weather", "news", "stocks");

    public static void main(String[] args) throws Exception {
        int n = Integer.parseInt(args[0]);
        Instant now = Instant.now().truncatedTo(ChronoUnit.SECONDS);
        Path dir = Files.createTempDirectory("query-bench");
        Path file = dir.resolve("spans.jsonl");
        Random r = new Random(1);
        long t0 = System.nanoTime();
        try (BufferedWriter w = Files.newBufferedWriter(file, StandardCharsets.UTF_8)) {
            for (int i = 0; i < n; i++) {
                String tool = TOOLS.get(r.nextInt(TOOLS.size()));
                Instant start = now.minusMillis((long) (r.nextDouble() * 7 * 86_400_000L));
                double ms = 1 + r.nextDouble() * 300;
                boolean err = r.nextInt(20) == 0;
                w.write(String.format(Locale.ROOT, "{\"trace_id\":\"%032x\",\"span_id\":\"%016x\",\"parent_span_id\":null,"
                        + "\"kind\":\"server\",\"name\":\"tools/call %s\",\"service\":\"svc-%d\",\"mcp_method\":\"tools/call\","
                        + "\"tool_name\":\"%s\",\"prompt_name\":null,\"resource_uri\":null,\"jsonrpc_request_id\":\"%d\","
                        + "\"session_id\":\"s-%d\",\"protocol_version\":\"2025-06-18\",\"transport\":\"streamable_http\","
                        + "\"client_name\":\"c\",\"client_version\":\"1\",\"start_time\":\"%s\",\"end_time\":\"%s\","
                        + "\"duration_ms\":%.3f,\"status\":\"%s\",\"error_type\":%s,\"error_message\":%s,\"model\":\"gpt-4o\","
                        + "\"prompt_tokens\":%d,\"completion_tokens\":%d,\"cost_usd\":%.9f,\"retries\":null,"
                        + "\"fallback_used\":null,\"confidence\":null,\"attributes\":null,\"tool_arguments\":null,"
                        + "\"tool_result\":null}%n", i + 1L, i + 1L, tool, i % 3, tool, i, i % 500, start,
                        start.plusNanos((long) (ms * 1e6)), ms, err ? "error" : "ok", err ? "\"-32603\"" : "null",
                        err ? "\"boom\"" : "null", 50 + i % 400, i % 30, (50 + i % 400) * 2.5e-6));
            }
        }
        System.out.printf(Locale.ROOT, "%,d spans, %,d MB of JSON lines written in %.1f s%n", n,
                Files.size(file) >> 20, (System.nanoTime() - t0) / 1e9);

        try (JsonLinesStore store = new JsonLinesStore(dir)) {
            Queries q = new Queries(store, Clock.systemUTC());
            time("duckdb: first tool_stats 24h (load + query)", () -> q.toolStats(q.window("24h"), Filter.NONE, "calls", 100));
            System.out.printf(Locale.ROOT, "  load alone: %,d ms for %,d rows%n", store.loadStats()[1], store.loadStats()[0]);
            for (int i = 0; i < 3; i++) {
                time("duckdb: tool_stats 24h", () -> q.toolStats(q.window("24h"), Filter.NONE, "calls", 100));
            }
            time("duckdb: tool_stats 7d", () -> q.toolStats(q.window("7d"), Filter.NONE, "calls", 100));
            time("duckdb: slow_calls 7d", () -> q.slowCalls(q.window("7d"), Filter.NONE, 10));
            time("duckdb: trace", () -> q.trace(String.format(Locale.ROOT, "%032x", n / 2)));
            time("duckdb: sessions 7d", () -> q.sessions(q.window("7d"), Filter.NONE, 20));
            Runtime rt = Runtime.getRuntime();
            System.out.printf(Locale.ROOT, "  JVM heap used after: %,d MB (DuckDB's memory is native, outside it)%n",
                    (rt.totalMemory() - rt.freeMemory()) >> 20);
        }

        // the same question by hand: parse every line, keep the durations per tool, sort for the percentiles
        JsonMapper json = JsonMapper.builder().build();
        for (int round = 0; round < 2; round++) {
            long s = System.nanoTime();
            Instant from = now.minus(Duration.ofHours(24));
            Map<String, List<Double>> durations = new HashMap<>();
            try (BufferedReader in = Files.newBufferedReader(file, StandardCharsets.UTF_8)) {
                String line;
                while ((line = in.readLine()) != null) {
                    JsonNode node = json.readTree(line);
                    if (Instant.parse(node.get("start_time").asString()).isBefore(from)) {
                        continue;
                    }
                    durations.computeIfAbsent(node.get("service").asString() + "|" + node.get("tool_name").asString(),
                            k -> new ArrayList<>()).add(node.get("duration_ms").asDouble());
                }
            }
            for (List<Double> d : durations.values()) {
                d.sort(null);
            }
            System.out.printf(Locale.ROOT, "hand-rolled scan (Jackson tree per line, sort): tool_stats 24h %,d ms%n",
                    (System.nanoTime() - s) / 1_000_000);
        }

        if (args.length > 1) {
            String url = args[1];
            try (Connection db = DriverManager.getConnection(url); Statement st = db.createStatement()) {
                st.execute(Files.readString(Path.of("schema/postgres.sql")));
                long s = System.nanoTime();
                st.execute("INSERT INTO mcp_spans (trace_id, span_id, start_time, end_time, duration_ms, agent_id, kind, "
                        + "status, service, name, mcp_method, tool_name, session_id, prompt_tokens, cost_usd) "
                        + "SELECT md5(g::text)::uuid, g, now() - random() * interval '7 days', now(), 1 + random() * 300, "
                        + "'11111111-1111-1111-1111-111111111111', 'server', CASE WHEN g % 20 = 0 THEN 'error' ELSE 'ok' END,"
                        + " 'svc-' || (g % 3), 'tools/call t' || (g % 10), 'tools/call', 't' || (g % 10), 's-' || (g % 500), "
                        + "50, 0.0001 FROM generate_series(1, " + n + ") g");
                st.execute("ANALYZE mcp_spans");
                System.out.printf(Locale.ROOT, "postgres: %,d rows inserted in %.1f s%n", n, (System.nanoTime() - s) / 1e9);
            }
            try (PostgresStore store = new PostgresStore(url, Duration.ofSeconds(60), false)) {
                Queries q = new Queries(store, Clock.systemUTC());
                for (int i = 0; i < 3; i++) {
                    time("postgres: tool_stats 24h", () -> q.toolStats(q.window("24h"), Filter.NONE, "calls", 100));
                }
                time("postgres: tool_stats 7d", () -> q.toolStats(q.window("7d"), Filter.NONE, "calls", 100));
                time("postgres: slow_calls 7d", () -> q.slowCalls(q.window("7d"), Filter.NONE, 10));
                Table any = q.slowCalls(q.window("7d"), Filter.NONE, 1);
                String trace = any.text(0, "trace_id");
                time("postgres: trace (index)", () -> q.trace(trace));
                time("postgres: sessions 7d", () -> q.sessions(q.window("7d"), Filter.NONE, 20));
            }
        }
    }

    interface Query {
        Table run();
    }

    static void time(String what, Query query) {
        long s = System.nanoTime();
        Table t = query.run();
        System.out.printf(Locale.ROOT, "%-48s %,8d ms (%d rows)%n", what, (System.nanoTime() - s) / 1_000_000, t.size());
    }
}
