package io.mcpobservatory.query;

import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Pattern;

/**
 * Every question the observatory answers, as parameterised SQL over a {@link Store}'s spans: the same text for PostgreSQL
 * and DuckDB. Windows ({@link Window}) and limits ({@link #limit}) are checked before any SQL runs; sort orders and
 * groupings are chosen from fixed lists, never written into the SQL from input.
 */
public final class Queries {

    /** The most rows a caller may ask any query for. */
    public static final int MAX_LIMIT = 1_000;
    private static final Pattern TRACE_ID = Pattern.compile("[0-9a-f]{32}");
    private static final String TIME_RANGE = " start_time >= CAST(? AS TIMESTAMPTZ) AND start_time < CAST(? AS TIMESTAMPTZ)";
    private static final String ERRORS = "count(*) FILTER (WHERE status = 'error')";
    /** From the first start to the last end of a group of spans, in ms. */
    private static final String SPREAD_MS =
            "(max(extract(epoch FROM end_time)) - min(extract(epoch FROM start_time))) * 1000";

    private static final Map<String, String> TOOL_SORTS = Map.of(
            "calls", "calls DESC",
            "errors", "errors DESC, calls DESC",
            "error_rate", "error_rate DESC, calls DESC",
            "p50_ms", "p50_ms DESC",
            "p95_ms", "p95_ms DESC",
            "p99_ms", "p99_ms DESC",
            "max_ms", "max_ms DESC",
            "cost_usd", "cost_usd DESC NULLS LAST, calls DESC",
            "tokens", "tokens DESC NULLS LAST, calls DESC");

    private final Store store;
    private final Clock clock;

    public Queries(Store store, Clock clock) {
        this.store = store;
        this.clock = clock;
    }

    public Store store() {
        return store;
    }

    public Window window(String since) {
        return Window.parse(since, clock.instant());
    }

    public Instant now() {
        return clock.instant();
    }

    /** A row limit: 1 to {@link #MAX_LIMIT}; null gives {@code dflt}. */
    public static int limit(Integer asked, int dflt) {
        if (asked == null) {
            return dflt;
        }
        if (asked < 1 || asked > MAX_LIMIT) {
            throw new QueryException("limit must be between 1 and " + MAX_LIMIT + ", not " + asked);
        }
        return asked;
    }

    private static List<Object> range(Window w) {
        List<Object> params = new ArrayList<>();
        params.add(w.from);
        params.add(w.to);
        return params;
    }

    /**
     * {@code SELECT columns FROM spans WHERE [condition AND] <the window> <the filter> tail LIMIT limit}: the shape of
     * every windowed question, its values all parameters.
     */
    private Table select(String columns, String condition, Window w, Filter f, String tail, int limit) {
        List<Object> p = range(w);
        String sql = "SELECT " + columns + " FROM " + store.spans() + " WHERE "
                + (condition == null ? "" : condition + " AND") + TIME_RANGE + f.where(p) + " " + tail + " LIMIT ?";
        p.add(limit);
        return store.query(sql, p);
    }

    /** Per service, method and tool: calls, errors, error rate, p50/p95/p99/max ms, tokens, cost. */
    public Table toolStats(Window w, Filter f, String sort, int limit) {
        String order = TOOL_SORTS.get(sort == null ? "calls" : sort);
        if (order == null) {
            throw new QueryException("sort must be one of " + new java.util.TreeSet<>(TOOL_SORTS.keySet())
                    + ", not '" + sort + "'");
        }
        return select("service, mcp_method, tool_name, count(*) AS calls, " + ERRORS + " AS errors, "
                + "CAST(" + ERRORS + " AS double precision) / count(*) AS error_rate, "
                + "percentile_cont(0.5) WITHIN GROUP (ORDER BY duration_ms) AS p50_ms, "
                + "percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms, "
                + "percentile_cont(0.99) WITHIN GROUP (ORDER BY duration_ms) AS p99_ms, "
                + "max(duration_ms) AS max_ms, sum(duration_ms) AS sum_ms, "
                + "sum(prompt_tokens) AS prompt_tokens, sum(completion_tokens) AS completion_tokens, "
                + "sum(coalesce(prompt_tokens, 0) + coalesce(completion_tokens, 0)) AS tokens, "
                + "sum(cost_usd) AS cost_usd", null, w, f,
                "GROUP BY service, mcp_method, tool_name ORDER BY " + order + ", service, mcp_method, tool_name", limit);
    }

    /** The slowest calls, one row each, with what they failed with if they did. */
    public Table slowCalls(Window w, Filter f, int limit) {
        return select("start_time, service, name, duration_ms, status, error_type, client_name, session_id, trace_id, "
                + "span_id", null, w, f, "ORDER BY duration_ms DESC", limit);
    }

    /** Errors grouped by what failed and how: count, the latest time, and one message. */
    public Table errorTypes(Window w, Filter f, int limit) {
        return select("service, name, error_type, count(*) AS count, max(start_time) AS last_at, "
                + "max(error_message) AS sample_message", "status = 'error'", w, f,
                "GROUP BY service, name, error_type ORDER BY count DESC, service, name, error_type", limit);
    }

    /** The latest failing calls. */
    public Table failingCalls(Window w, Filter f, int limit) {
        return select("start_time, service, name, error_type, error_message, duration_ms, client_name, trace_id, "
                + "span_id", "status = 'error'", w, f, "ORDER BY start_time DESC", limit);
    }

    /** Every span of one trace, across services, in start order (the tree is {@link TraceTree}'s). */
    public Table trace(String traceId) {
        String id = normaliseTraceId(traceId);
        String sql = "SELECT trace_id, span_id, parent_span_id, start_time, end_time, duration_ms, kind, service, "
                + "name, status, error_type, error_message, client_name, session_id, transport, prompt_tokens, "
                + "completion_tokens, cost_usd FROM " + store.spans() + " WHERE trace_key = "
                + store.traceKeyParam() + " ORDER BY start_time, span_id LIMIT ?";
        List<Object> p = new ArrayList<>();
        p.add(id);
        p.add(MAX_LIMIT);
        return store.query(sql, p);
    }

    /** 32 lower-case hex digits from a trace id written with or without dashes, any case; else a clear error. */
    public static String normaliseTraceId(String traceId) {
        String id = traceId == null ? "" : traceId.trim().replace("-", "").toLowerCase(Locale.ROOT);
        if (!TRACE_ID.matcher(id).matches() || id.equals("0".repeat(32))) {
            throw new QueryException("a trace id is 32 hex digits (a uuid's dashes may stay), not '" + traceId + "'");
        }
        return id;
    }

    /** The traces that took longest from their first span's start to their last span's end. */
    public Table slowestTraces(Window w, Filter f, int limit) {
        return select("trace_id, min(start_time) AS start_time, " + SPREAD_MS + " AS duration_ms, count(*) AS spans, "
                + "count(DISTINCT service) AS services, " + ERRORS + " AS errors", null, w, f,
                "GROUP BY trace_id ORDER BY duration_ms DESC, trace_id", limit);
    }

    /** Sessions: who (client), how long (first start to last end), how many calls and errors, what they cost. */
    public Table sessions(Window w, Filter f, int limit) {
        return select("session_id, service, max(client_name) AS client_name, max(client_version) AS client_version, "
                + "max(transport) AS transport, min(start_time) AS first_at, max(end_time) AS last_at, " + SPREAD_MS
                + " AS duration_ms, count(*) AS calls, count(*) FILTER (WHERE mcp_method = 'tools/call') AS tool_calls, "
                + ERRORS + " AS errors, count(DISTINCT tool_name) AS tools, sum(cost_usd) AS cost_usd",
                "session_id IS NOT NULL", w, f, "GROUP BY session_id, service ORDER BY last_at DESC, session_id", limit);
    }

    /** Tokens and cost by tool (the span's name: tools/call x, tools/list, ...), model, service or UTC day. */
    public Table costs(Window w, Filter f, String by, int limit) {
        String key;
        switch (by == null ? "tool" : by) {
            case "tool": key = "name"; break;
            case "model": key = "coalesce(model, '(none)')"; break;
            case "service": key = "service"; break;
            case "day": key = "CAST(floor(extract(epoch FROM start_time) / 86400) AS BIGINT)"; break;
            default: throw new QueryException("by must be tool, model, service or day, not '" + by + "'");
        }
        Table t = select(key + " AS key, count(*) AS calls, sum(prompt_tokens) AS prompt_tokens, "
                + "sum(completion_tokens) AS completion_tokens, sum(cost_usd) AS cost_usd, "
                + "CAST(sum(cost_usd) AS double precision) / count(*) AS cost_per_call",
                "(prompt_tokens IS NOT NULL OR completion_tokens IS NOT NULL OR cost_usd IS NOT NULL)", w, f,
                "GROUP BY " + key + " ORDER BY cost_usd DESC NULLS LAST, prompt_tokens DESC NULLS LAST, key", limit);
        if ("day".equals(by)) { // day numbers to dates
            int k = t.column("key");
            for (Object[] row : t.rows) {
                row[k] = java.time.LocalDate.ofEpochDay(((Number) row[k]).longValue()).toString();
            }
        }
        List<String> columns = new ArrayList<>(t.columns);
        columns.set(0, by == null ? "tool" : by);
        return new Table(columns, t.rows);
    }

    /**
     * Tools that a tools/list answer in the window offered (the agent puts their names in the span's
     * {@code attributes.listed_tools}) and that no tools/call in the window called, per service.
     */
    public Table unusedTools(Window w, Filter f) {
        List<Object> p = range(w);
        Filter servers = new Filter(f.service, null, null, null, "server");
        String listed = "SELECT DISTINCT service, tool_name FROM (SELECT service, "
                + store.listedToolsFrom("attributes") + " AS tool_name FROM " + store.spans()
                + " WHERE mcp_method = 'tools/list' AND attributes IS NOT NULL AND" + TIME_RANGE
                + servers.where(p) + ") l";
        p.add(w.from);
        p.add(w.to);
        String called = "SELECT service, tool_name, count(*) AS calls FROM " + store.spans()
                + " WHERE mcp_method = 'tools/call' AND tool_name IS NOT NULL AND" + TIME_RANGE + servers.where(p)
                + " GROUP BY service, tool_name";
        String sql = "SELECT l.service, l.tool_name FROM (" + listed + ") l LEFT JOIN (" + called + ") c "
                + "ON c.service = l.service AND c.tool_name = l.tool_name WHERE c.tool_name IS NULL "
                + "ORDER BY l.service, l.tool_name LIMIT ?";
        p.add(MAX_LIMIT);
        return store.query(sql, p);
    }

    /** How many tool names the tools/list answers in the window carried (0: unusedTools cannot tell). */
    public long listedToolNames(Window w, Filter f) {
        List<Object> p = range(w);
        String sql = "SELECT count(*) AS n FROM (SELECT " + store.listedToolsFrom("attributes") + " AS tool_name FROM "
                + store.spans() + " WHERE mcp_method = 'tools/list' AND attributes IS NOT NULL AND" + TIME_RANGE
                + new Filter(f.service, null, null, null, "server").where(p) + ") l";
        return ((Number) store.query(sql, p).rows.get(0)[0]).longValue();
    }

    /** The latest tools/list answer of each service: the catalog's tokens and cost, paid once per conversation. */
    public Table catalogCost(Window w, Filter f) {
        Table all = select("service, start_time, prompt_tokens, cost_usd, model",
                "mcp_method = 'tools/list' AND prompt_tokens IS NOT NULL", w,
                new Filter(f.service, null, null, null, "server"), "ORDER BY service, start_time DESC", MAX_LIMIT);
        List<Object[]> latest = new ArrayList<>();
        String last = null;
        for (Object[] row : all.rows) {
            if (!row[0].equals(last)) {
                latest.add(row);
                last = (String) row[0];
            }
        }
        return new Table(all.columns, latest);
    }

    /** When the first and the last span of the window started (null, null when it has none). */
    public Instant[] extent(Window w, Filter f) {
        Table t = select("min(start_time) AS first_at, max(start_time) AS last_at", null, w, f, "", 1);
        return new Instant[] {(Instant) t.rows.get(0)[0], (Instant) t.rows.get(0)[1]};
    }

    /** Calls, errors and p95 per tool per time bucket, for the report's line charts. */
    public Table toolSeries(Window w, Filter f, Duration bucket) {
        long seconds = Math.max(1, bucket.getSeconds()); // a number of ours, not the caller's text
        return select("service, tool_name, CAST(floor(extract(epoch FROM start_time) / " + seconds + ") AS BIGINT) * "
                + seconds + " AS bucket, count(*) AS calls, " + ERRORS + " AS errors, "
                + "percentile_cont(0.95) WITHIN GROUP (ORDER BY duration_ms) AS p95_ms", "mcp_method = 'tools/call'",
                w, f, "GROUP BY 1, 2, 3 ORDER BY 3, 1, 2", Store.MAX_ROWS);
    }

    /**
     * Each agent's health: PostgreSQL's {@code mcp_agent_health} (stale: no heartbeat for three intervals) for the
     * agents seen in the window; JSON lines have no agent table, so there it is each service's latest span.
     */
    public Table health(Window w, int limit) {
        List<Object> p = new ArrayList<>();
        if (store.hasAgents()) {
            p.add(w.from);
            p.add(limit);
            return store.query("SELECT service, host, pid, agent_version, started_at, last_seen_at, "
                    + "extract(epoch FROM seen_ago) AS seen_ago_s, stale, queue_depth, spans_recorded, spans_exported, "
                    + "spans_dropped_queue_full + spans_dropped_export_failed AS spans_dropped, export_failures, "
                    + "spool_bytes, active_alerts FROM mcp_agent_health WHERE last_seen_at >= CAST(? AS TIMESTAMPTZ) "
                    + "ORDER BY stale DESC, service, last_seen_at DESC LIMIT ?", p);
        }
        Table t = select("service, min(start_time) AS first_span_at, max(end_time) AS last_span_at, count(*) AS spans, "
                + ERRORS + " AS errors", null, w, new Filter(null, null, null, null, "any"),
                "GROUP BY service ORDER BY service", limit);
        List<String> columns = new ArrayList<>(t.columns);
        columns.add("seen_ago_s");
        List<Object[]> rows = new ArrayList<>();
        Instant now = clock.instant();
        for (Object[] row : t.rows) {
            Object[] r = java.util.Arrays.copyOf(row, row.length + 1);
            Instant last = (Instant) row[2];
            r[row.length] = last == null ? null : Duration.between(last, now).toMillis() / 1000.0;
            rows.add(r);
        }
        return new Table(columns, rows);
    }

    /** Alerts that fire now, and those that fired in the window. */
    public Table alerts(Window w, boolean activeOnly, int limit) {
        requireAlerts();
        List<Object> p = new ArrayList<>();
        String when = activeOnly ? "resolved_at IS NULL" : "(resolved_at IS NULL OR fired_at >= CAST(? AS TIMESTAMPTZ))";
        if (!activeOnly) {
            p.add(w.from);
        }
        p.add(limit);
        return store.query("SELECT CAST(alert_id AS text) AS alert_id, alert_name, severity, service, expr, "
                + "rate_window, value, threshold, fired_at, resolved_at, resolved_value, "
                + "resolved_at IS NULL AS active FROM mcp_alerts WHERE " + when
                + " ORDER BY resolved_at IS NULL DESC, fired_at DESC LIMIT ?", p);
    }

    private void requireAlerts() {
        if (!store.hasAlerts()) {
            throw new QueryException(store.kind().equals("jsonl")
                    ? "alerts are kept in PostgreSQL only (mcp_alerts): JSON lines have none; start the server with "
                    + "--jdbc-url"
                    : "this schema has no mcp_alerts table (agents before schema V3)");
        }
    }

    /** Records an alert by hand (severity info, warning or critical); returns its id. Needs --allow-writes. */
    public String createAlert(String name, String severity, String service, String expr, Double value,
                              Double threshold) {
        requireAlerts();
        requireWrites();
        if (name == null || name.isBlank() || name.length() > 200) {
            throw new QueryException("an alert needs a name (at most 200 characters)");
        }
        String sev = severity == null ? "warning" : severity.trim().toLowerCase(Locale.ROOT);
        if (!List.of("info", "warning", "critical").contains(sev)) {
            throw new QueryException("severity must be info, warning or critical, not '" + severity + "'");
        }
        if (expr == null || expr.isBlank() || expr.length() > 2000) {
            throw new QueryException("an alert needs an expr saying what is wrong (at most 2000 characters)");
        }
        UUID id = UUID.randomUUID();
        List<Object> p = new ArrayList<>(List.of(id.toString(), clock.instant(),
                value == null ? 0.0 : value, threshold == null ? 0.0 : threshold,
                service == null || service.isBlank() ? "(manual)" : service, name.trim(), sev, expr));
        store.execute("INSERT INTO mcp_alerts (alert_id, agent_id, fired_at, value, threshold, service, alert_name, "
                + "severity, expr, rate_window) VALUES (CAST(? AS uuid), '00000000-0000-0000-0000-000000000000', "
                + "CAST(? AS TIMESTAMPTZ), ?, ?, ?, ?, ?, ?, 'manual')", p);
        return id.toString();
    }

    /** Resolves an alert that fires; false when none with that id fires. Needs --allow-writes. */
    public boolean resolveAlert(String alertId) {
        requireAlerts();
        requireWrites();
        String id;
        try {
            id = UUID.fromString(alertId == null ? "" : alertId.trim()).toString();
        } catch (IllegalArgumentException e) {
            throw new QueryException("an alert id is a uuid, not '" + alertId + "'");
        }
        return store.execute("UPDATE mcp_alerts SET resolved_at = CAST(? AS TIMESTAMPTZ) "
                + "WHERE alert_id = CAST(? AS uuid) AND resolved_at IS NULL", List.of(clock.instant(), id)) > 0;
    }

    private void requireWrites() {
        if (!(store instanceof PostgresStore) || !((PostgresStore) store).allowWrites()) {
            throw new QueryException("this server is read-only: creating and resolving alerts needs --allow-writes "
                    + "(and a role that may INSERT and UPDATE mcp_alerts)");
        }
    }
}
