package io.mcpobservatory.query;

import io.modelcontextprotocol.json.McpJsonDefaults;
import io.modelcontextprotocol.json.McpJsonMapper;
import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures.SyncResourceSpecification;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.Resource;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.function.Function;

/**
 * The observatory as an MCP server: one tool per question ({@code tool_stats}, {@code slow_calls}, {@code errors},
 * {@code trace}, {@code sessions}, {@code costs}, {@code unused_tools}, {@code health}, {@code alerts},
 * {@code export}), each answering with a short text (a headline and a table) and the same rows as structured content,
 * and resources that describe the data ({@code observatory://schema}). A bad argument is a tool result with
 * {@code isError} and one line saying what to write instead, never a stack trace.
 */
public final class ObservatoryServer {

    public static final String NAME = "mcp-observatory";
    static final McpJsonMapper JSON = McpJsonDefaults.getMapper();
    static final String SCHEMA_URI = "observatory://schema";

    private final Queries queries;

    public ObservatoryServer(Queries queries) {
        this.queries = queries;
    }

    /** The server on {@code McpServer.sync(transport)} of any transport. */
    public McpSyncServer build(McpServer.SyncSpecification<?> spec, String version) {
        spec.serverInfo(NAME, version)
                .immediateExecution(true)
                .instructions("Ask the MCP Observatory about the MCP servers it watches: which tool is slowest "
                        + "(tool_stats sort=p95_ms), failing (errors), costliest (costs), never called (unused_tools); "
                        + "what one trace did (trace); sessions; whether every agent is alive (health); alerts. "
                        + "Windows are durations back from now (15m, 1h, 24h, 7d) of at most 90 days. Source: "
                        + queries.store().kind() + " " + queries.store().describe() + ".")
                .capabilities(McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).build());
        for (ToolDef t : tools()) {
            spec.toolCall(Tool.builder().name(t.name).description(t.description)
                            .inputSchema(JSON, t.schema).build(),
                    (exchange, request) -> call(t, request.arguments()));
        }
        spec.resources(new SyncResourceSpecification(
                Resource.builder().uri(SCHEMA_URI).name("schema").title("What the observatory stores")
                        .description("The spans, agents and alerts the tools read: every column and what it means.")
                        .mimeType("text/markdown").build(),
                (exchange, request) -> new ReadResourceResult(List.of(
                        new TextResourceContents(request.uri(), "text/markdown", schemaText())))));
        return spec.build();
    }

    private final java.util.concurrent.atomic.AtomicInteger inFlight = new java.util.concurrent.atomic.AtomicInteger();
    private volatile long lastCallEndNanos = System.nanoTime();

    /**
     * Waits until no tool call has run for {@code quiet} (or {@code max} passed): a stdio client may close our stdin
     * right after its last request, whose answer must still be written.
     */
    public void awaitIdle(java.time.Duration quiet, java.time.Duration max) throws InterruptedException {
        long deadline = System.nanoTime() + max.toNanos();
        while (System.nanoTime() < deadline) {
            if (inFlight.get() == 0 && System.nanoTime() - lastCallEndNanos >= quiet.toNanos()) {
                return;
            }
            Thread.sleep(20);
        }
    }

    CallToolResult call(ToolDef tool, Map<String, Object> arguments) {
        inFlight.incrementAndGet();
        try {
            return answer(tool, arguments);
        } finally {
            lastCallEndNanos = System.nanoTime();
            inFlight.decrementAndGet();
        }
    }

    private CallToolResult answer(ToolDef tool, Map<String, Object> arguments) {
        try {
            Answer a = tool.handler.apply(new Args(arguments));
            CallToolResult.Builder b = CallToolResult.builder().addTextContent(a.text).isError(false);
            if (a.structured != null) {
                b.structuredContent(a.structured);
            }
            return b.build();
        } catch (QueryException e) {
            return error(e.getMessage());
        } catch (RuntimeException e) {
            System.err.println("[mcp-observatory-query] " + tool.name + " failed: " + e);
            return error(tool.name + " failed: " + e.getClass().getSimpleName()
                    + (e.getMessage() == null ? "" : ": " + e.getMessage().split("\n")[0]));
        }
    }

    private static CallToolResult error(String message) {
        return CallToolResult.builder().addTextContent(message).isError(true).build();
    }

    /** What a tool answers: text for the model, and the same data structured. */
    static final class Answer {
        final String text;
        final Map<String, Object> structured;

        Answer(String text, Map<String, Object> structured) {
            this.text = text;
            this.structured = structured;
        }
    }

    static final class ToolDef {
        final String name;
        final String description;
        final String schema;
        final Function<Args, Answer> handler;

        ToolDef(String name, String description, String schema, Function<Args, Answer> handler) {
            this.name = name;
            this.description = description;
            this.schema = schema;
            this.handler = handler;
        }
    }

    // ---------------------------------------------------------------------------------------------- schemas

    private static final String SINCE = "\"since\":{\"type\":\"string\",\"description\":\"Window back from now: 15m, "
            + "1h, 24h, 7d (at most 90d), or an ISO-8601 instant to start from. Default %s.\"}";
    private static final String FILTERS = "\"service\":{\"type\":\"string\",\"description\":\"Only this service "
            + "(observatory.service.name).\"},\"tool\":{\"type\":\"string\",\"description\":\"Only calls of this "
            + "tool.\"},\"method\":{\"type\":\"string\",\"description\":\"Only this JSON-RPC method, e.g. tools/call.\"},"
            + "\"kind\":{\"type\":\"string\",\"enum\":[\"server\",\"client\",\"any\"],\"description\":\"Spans recorded "
            + "by servers (default), clients, or any.\"}";
    private static final String LIMIT = "\"limit\":{\"type\":\"integer\",\"minimum\":1,\"maximum\":"
            + Queries.MAX_LIMIT + ",\"description\":\"Rows at most (default %d).\"}";

    private static String schema(String... properties) {
        return "{\"type\":\"object\",\"properties\":{" + String.join(",", properties)
                + "},\"additionalProperties\":false}";
    }

    private static String since(String dflt) {
        return String.format(Locale.ROOT, SINCE, dflt);
    }

    private static String limit(int dflt) {
        return String.format(Locale.ROOT, LIMIT, dflt);
    }

    List<ToolDef> tools() {
        List<ToolDef> t = new ArrayList<>();
        t.add(new ToolDef("tool_stats", "Per service, JSON-RPC method and tool over a window: calls, errors, error "
                + "rate, p50/p95/p99/max latency in ms, tokens and estimated cost. sort=p95_ms finds the slowest, "
                + "error_rate the most failing, cost_usd the costliest.",
                schema(since("1h"), FILTERS, "\"sort\":{\"type\":\"string\",\"enum\":[\"calls\",\"errors\","
                        + "\"error_rate\",\"p50_ms\",\"p95_ms\",\"p99_ms\",\"max_ms\",\"cost_usd\",\"tokens\"],"
                        + "\"description\":\"Order of the rows, largest first (default calls).\"}", limit(50)),
                this::toolStats));
        t.add(new ToolDef("slow_calls", "The slowest calls in a window, one row each: when, which service and tool, "
                + "how long, how it ended, and the trace id to look at with the trace tool.",
                schema(since("1h"), FILTERS, limit(10)), this::slowCalls));
        t.add(new ToolDef("errors", "What failed in a window: error types per service and call (JSON-RPC code, "
                + "tool_error for isError results, or the exception class) with counts and a sample message, and the "
                + "latest failing calls with their trace ids.",
                schema(since("1h"), FILTERS, limit(20)), this::errors));
        t.add(new ToolDef("trace", "One trace as a tree across clients and servers: each span's offset, duration, "
                + "service, name and error.",
                "{\"type\":\"object\",\"properties\":{\"trace_id\":{\"type\":\"string\",\"description\":\"32 hex "
                        + "digits (dashes allowed)\"}},\"required\":[\"trace_id\"],\"additionalProperties\":false}",
                this::trace));
        t.add(new ToolDef("sessions", "MCP sessions in a window: client name and version, transport, first and last "
                + "activity, duration, calls, tool calls, errors, distinct tools, cost. Latest first.",
                schema(since("24h"), "\"service\":{\"type\":\"string\"},\"client\":{\"type\":\"string\","
                        + "\"description\":\"Only sessions of this client name.\"}", limit(20)), this::sessions));
        t.add(new ToolDef("costs", "Tokens and estimated model cost in a window, by tool (span name), model, service "
                + "or UTC day, costliest first; and what the tool catalog (tools/list) costs every conversation.",
                schema(since("24h"), "\"service\":{\"type\":\"string\"}", "\"by\":{\"type\":\"string\",\"enum\":"
                        + "[\"tool\",\"model\",\"service\",\"day\"],\"description\":\"Grouping (default tool).\"}",
                        "\"kind\":{\"type\":\"string\",\"enum\":[\"server\",\"client\",\"any\"],\"description\":"
                                + "\"Spans recorded by servers (default: each exchange once), clients, or both.\"}",
                        limit(50)), this::costs));
        t.add(new ToolDef("unused_tools", "Tools that servers listed (tools/list) but nobody called in the window.",
                schema(since("7d"), "\"service\":{\"type\":\"string\"}"), this::unusedTools));
        t.add(new ToolDef("health", "Is every server alive: each agent's latest heartbeat (stale when older than "
                + "three heartbeat intervals), queue, drops, export failures and alerts that fire. From JSON lines: "
                + "each service's latest span.",
                schema(since("24h"), limit(100)), this::health));
        t.add(new ToolDef("alerts", "Alerts (PostgreSQL's mcp_alerts): action list (default) shows those that fire "
                + "and those that fired in the window; create records one by hand and resolve ends one (both only "
                + "when the server was started with --allow-writes).",
                schema(since("24h"), "\"action\":{\"type\":\"string\",\"enum\":[\"list\",\"create\",\"resolve\"]}",
                        "\"state\":{\"type\":\"string\",\"enum\":[\"active\",\"all\"],\"description\":\"list: "
                                + "active only, or all in the window (default).\"}",
                        "\"name\":{\"type\":\"string\"}", "\"severity\":{\"type\":\"string\",\"enum\":[\"info\","
                                + "\"warning\",\"critical\"]}", "\"service\":{\"type\":\"string\"}",
                        "\"expr\":{\"type\":\"string\",\"description\":\"create: what is wrong.\"}",
                        "\"value\":{\"type\":\"number\"}", "\"threshold\":{\"type\":\"number\"}",
                        "\"alert_id\":{\"type\":\"string\",\"description\":\"resolve: the alert's id.\"}", limit(50)),
                this::alerts));
        t.add(new ToolDef("export", "Data in an export format: json, csv, prometheus (text exposition) or influx "
                + "(line protocol). what=tool_stats (default; the only one for prometheus and influx), slow_calls, "
                + "errors, sessions or costs.",
                schema(since("1h"), FILTERS, "\"format\":{\"type\":\"string\",\"enum\":[\"json\",\"csv\","
                        + "\"prometheus\",\"influx\"]}", "\"what\":{\"type\":\"string\",\"enum\":[\"tool_stats\","
                        + "\"slow_calls\",\"errors\",\"sessions\",\"costs\"]}", limit(1000))
                        .replace("\"additionalProperties\":false", "\"required\":[\"format\"],"
                                + "\"additionalProperties\":false"),
                this::export));
        return t;
    }

    // ---------------------------------------------------------------------------------------------- handlers

    private Map<String, Object> result(Window w, Table table) {
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("window", Map.of("from", w.from.toString(), "to", w.to.toString()));
        m.put("source", queries.store().kind());
        m.put("rows", table.toMaps());
        return m;
    }

    private void checkTool(Window w, Filter f) {
        if (f.tool == null) {
            return;
        }
        Table known = queries.toolStats(w, new Filter(f.service, null, "tools/call", null, f.kind), "calls",
                Queries.MAX_LIMIT);
        List<String> names = new ArrayList<>();
        for (int i = 0; i < known.size(); i++) {
            String n = known.text(i, "tool_name");
            if (f.tool.equals(n)) {
                return;
            }
            if (n != null && names.size() < 30) {
                names.add(n);
            }
        }
        throw new QueryException("unknown tool '" + f.tool + "': no call of it in the window (" + w + ")"
                + (names.isEmpty() ? "; no tool was called in it" : "; tools called: " + String.join(", ", names)));
    }

    Answer toolStats(Args a) {
        Window w = queries.window(a.string("since", "1h"));
        Filter f = a.filter();
        String sort = a.string("sort", "calls");
        int limit = Queries.limit(a.integer("limit"), 50);
        Table t = queries.toolStats(w, f, sort, limit);
        checkTool(w, f);
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "%d rows, %s, last %s, by %s:%n",
                t.size(), f, w, sort));
        if (!t.isEmpty()) {
            text.append(headline(t, sort)).append('\n');
        }
        text.append(project(t, "service", "mcp_method", "tool_name", "calls", "errors", "error_rate", "p50_ms",
                "p95_ms", "p99_ms", "max_ms", "tokens", "cost_usd").toText());
        return new Answer(text.toString(), result(w, t));
    }

    private static String headline(Table t, String sort) {
        String what = String.valueOf(t.get(0, "tool_name") == null ? t.get(0, "mcp_method") : t.get(0, "tool_name"));
        return String.format(Locale.ROOT, "top: %s (%s): %d calls, %.1f%% errors, p95 %.1f ms", what,
                t.get(0, "service"), (long) t.number(0, "calls"), 100 * t.number(0, "error_rate"),
                t.number(0, "p95_ms"));
    }

    Answer slowCalls(Args a) {
        Window w = queries.window(a.string("since", "1h"));
        Filter f = a.filter();
        Table t = queries.slowCalls(w, f, Queries.limit(a.integer("limit"), 10));
        checkTool(w, f);
        return new Answer(String.format(Locale.ROOT, "%d slowest calls, %s, last %s:%n", t.size(), f, w)
                + t.toText(), result(w, t));
    }

    Answer errors(Args a) {
        Window w = queries.window(a.string("since", "1h"));
        Filter f = a.filter();
        int limit = Queries.limit(a.integer("limit"), 20);
        Table types = queries.errorTypes(w, f, limit);
        checkTool(w, f);
        Table latest = queries.failingCalls(w, f, limit);
        Table all = queries.toolStats(w, f, "errors", Queries.MAX_LIMIT);
        long total = 0;
        long calls = 0;
        for (int i = 0; i < all.size(); i++) {
            total += (long) all.number(i, "errors");
            calls += (long) all.number(i, "calls");
        }
        Map<String, Object> m = result(w, types);
        m.put("errors", total);
        m.put("calls", calls);
        m.put("latest", latest.toMaps());
        return new Answer(String.format(Locale.ROOT, "%d errors in %d calls, %s, last %s; by kind%s:%n", total, calls,
                f, w, types.size() == limit ? " (the first " + limit + ")" : "")
                + types.toText() + "\nlatest failing calls:\n"
                + project(latest, "start_time", "service", "name", "error_type", "error_message", "trace_id").toText(),
                m);
    }

    Answer trace(Args a) {
        String id = Queries.normaliseTraceId(a.string("trace_id", null));
        TraceTree tree = TraceTree.of(id, queries.trace(id));
        if (tree.isEmpty()) {
            throw new QueryException("no spans with trace id " + id + " in " + queries.store().kind());
        }
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("trace_id", id);
        m.put("spans", tree.ordered.size());
        m.put("duration_ms", tree.durationMs());
        m.put("roots", tree.toNested());
        return new Answer(tree.toText(), m);
    }

    Answer sessions(Args a) {
        Window w = queries.window(a.string("since", "24h"));
        Filter f = new Filter(a.string("service", null), null, null, a.string("client", null), "server");
        Table t = queries.sessions(w, f, Queries.limit(a.integer("limit"), 20));
        return new Answer(String.format(Locale.ROOT, "%d sessions, %s, last %s:%n", t.size(), f, w)
                + project(t, "session_id", "service", "client_name", "client_version", "transport", "first_at",
                "duration_ms", "calls", "tool_calls", "errors", "cost_usd").toText(), result(w, t));
    }

    Answer costs(Args a) {
        Window w = queries.window(a.string("since", "24h"));
        // server spans by default: with the agent in a client and its server, each exchange is a span on both sides
        Filter f = new Filter(a.string("service", null), null, null, null, a.string("kind", "server"));
        String by = a.string("by", "tool");
        Table t = queries.costs(w, f, by, Queries.limit(a.integer("limit"), 50));
        Table catalog = queries.catalogCost(w, f);
        double total = 0;
        for (int i = 0; i < t.size(); i++) {
            total += t.number(i, "cost_usd");
        }
        StringBuilder text = new StringBuilder(String.format(Locale.ROOT, "$%.6f estimated in the last %s, by %s:%n",
                total, w, by)).append(t.toText());
        for (int i = 0; i < catalog.size(); i++) {
            text.append(String.format(Locale.ROOT, "tool catalog of %s: %d tokens, %s per conversation%n",
                    catalog.get(i, "service"), (long) catalog.number(i, "prompt_tokens"),
                    catalog.get(i, "cost_usd") == null ? "cost unknown"
                            : String.format(Locale.ROOT, "$%.6f", catalog.number(i, "cost_usd"))));
        }
        Map<String, Object> m = result(w, t);
        m.put("total_cost_usd", total);
        m.put("catalog", catalog.toMaps());
        return new Answer(text.toString(), m);
    }

    Answer unusedTools(Args a) {
        Window w = queries.window(a.string("since", "7d"));
        Filter f = new Filter(a.string("service", null), null, null, null, "server");
        Table t = queries.unusedTools(w, f);
        String text;
        if (queries.listedToolNames(w, f) == 0) {
            text = "no tools/list answer in the last " + w + " named its tools (the agent records them in "
                    + "attributes.listed_tools from version 0.1.0; a client lists tools when it connects): "
                    + "try a longer window";
        } else if (t.isEmpty()) {
            text = "every listed tool was called in the last " + w;
        } else {
            text = t.size() + " tools listed but never called in the last " + w + ":\n" + t.toText();
        }
        return new Answer(text, result(w, t));
    }

    Answer health(Args a) {
        Window w = queries.window(a.string("since", "24h"));
        Table t = queries.health(w, Queries.limit(a.integer("limit"), 100));
        String text;
        if (queries.store().hasAgents()) {
            long stale = 0;
            for (int i = 0; i < t.size(); i++) {
                if (Boolean.TRUE.equals(t.get(i, "stale"))) {
                    stale++;
                }
            }
            text = String.format(Locale.ROOT, "%d agents seen in the last %s: %d alive, %d stale (no heartbeat for "
                    + "three intervals)%n", t.size(), w, t.size() - stale, stale)
                    + project(t, "service", "host", "pid", "last_seen_at", "seen_ago_s", "stale", "queue_depth",
                    "spans_dropped", "export_failures", "active_alerts").toText();
        } else {
            text = String.format(Locale.ROOT, "%d services wrote spans in the last %s (JSON lines have no heartbeat: "
                    + "seen_ago_s is the time since each service's latest span)%n", t.size(), w) + t.toText();
        }
        return new Answer(text, result(w, t));
    }

    Answer alerts(Args a) {
        String action = a.string("action", "list");
        switch (action) {
            case "list": {
                Window w = queries.window(a.string("since", "24h"));
                String state = a.string("state", "all");
                if (!state.equals("all") && !state.equals("active")) {
                    throw new QueryException("state must be active or all, not '" + state + "'");
                }
                Table t = queries.alerts(w, state.equals("active"), Queries.limit(a.integer("limit"), 50));
                long active = 0;
                for (int i = 0; i < t.size(); i++) {
                    if (Boolean.TRUE.equals(t.get(i, "active"))) {
                        active++;
                    }
                }
                return new Answer(String.format(Locale.ROOT, "%d alerts (%d firing), last %s:%n", t.size(), active, w)
                        + project(t, "alert_name", "severity", "service", "expr", "value", "threshold", "fired_at",
                        "resolved_at", "alert_id").toText(), result(w, t));
            }
            case "create": {
                String id = queries.createAlert(a.string("name", null), a.string("severity", "warning"),
                        a.string("service", null), a.string("expr", null), a.decimal("value"), a.decimal("threshold"));
                return new Answer("alert " + id + " created", Map.of("alert_id", id));
            }
            case "resolve": {
                String id = a.string("alert_id", null);
                if (!queries.resolveAlert(id)) {
                    throw new QueryException("no firing alert with id " + id);
                }
                return new Answer("alert " + id + " resolved", Map.of("alert_id", id, "resolved", true));
            }
            default:
                throw new QueryException("action must be list, create or resolve, not '" + action + "'");
        }
    }

    Answer export(Args a) {
        String format = a.string("format", null);
        if (format == null) {
            throw new QueryException("format is needed: one of " + Exports.FORMATS);
        }
        String what = a.string("what", "tool_stats");
        Window w = queries.window(a.string("since", "1h"));
        Filter f = a.filter();
        int limit = Queries.limit(a.integer("limit"), Queries.MAX_LIMIT);
        Table t = dataset(queries, what, w, f, limit);
        String body = Exports.format(format, what, t, w, queries.store().kind());
        Map<String, Object> m = new LinkedHashMap<>();
        m.put("format", format);
        m.put("what", what);
        m.put("rows", t.size());
        return new Answer(body, m);
    }

    /** The tables export can write. */
    static Table dataset(Queries q, String what, Window w, Filter f, int limit) {
        switch (what) {
            case "tool_stats": return q.toolStats(w, f, "calls", limit);
            case "slow_calls": return q.slowCalls(w, f, limit);
            case "errors": return q.errorTypes(w, f, limit);
            case "sessions": return q.sessions(w, f, limit);
            case "costs": return q.costs(w, new Filter(f.service, null, null, null, f.kind), "tool", limit);
            default: throw new QueryException("what must be tool_stats, slow_calls, errors, sessions or costs, not '"
                    + what + "'");
        }
    }

    /** Some columns of a table, for the text answer (structured content keeps them all). */
    static Table project(Table t, String... columns) {
        List<String> keep = new ArrayList<>();
        List<Integer> index = new ArrayList<>();
        for (String c : columns) {
            int i = t.columns.indexOf(c);
            if (i >= 0) {
                keep.add(c);
                index.add(i);
            }
        }
        List<Object[]> rows = new ArrayList<>();
        for (Object[] row : t.rows) {
            Object[] r = new Object[index.size()];
            for (int i = 0; i < r.length; i++) {
                r[i] = row[index.get(i)];
            }
            rows.add(r);
        }
        return new Table(keep, rows);
    }

    static String schemaText() {
        try (InputStream in = ObservatoryServer.class.getResourceAsStream("schema.md")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
