package io.mcpobservatory.query;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.ZoneOffset;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Random;

/**
 * A fixed, seeded set of spans as the agent writes them, over two services, two UTC days and some sessions, with tool
 * names that test every escaping rule (commas, quotes, spaces, equals signs, backslashes, a line break), one trace
 * across both services, tools/list answers naming their tools, and spans outside the 24 h window. Written as JSON lines
 * and as {@code mcp_spans} rows, so both stores answer over the same data.
 */
final class Synthetic {

    static final String WEIRD = "say \"hi\", then=go \\now";
    static final String NEWLINE = "two\nlines";
    static final List<String> TOOLS = List.of("search", "fetch_page", WEIRD, NEWLINE, "rarely");
    static final List<String> LISTED = List.of("search", "fetch_page", WEIRD, NEWLINE, "rarely", "never_called",
            "also unused");
    static final String CROSS_TRACE = "4bf92f3577b34da6a3ce929d0e0e4736";

    final Instant now;
    final List<Map<String, Object>> spans = new ArrayList<>();

    Synthetic(Instant now) {
        this.now = now.truncatedTo(ChronoUnit.MICROS);
        Random random = new Random(42);
        int traceSeq = 1;
        for (int i = 0; i < 600; i++) {
            String service = i % 3 == 0 ? "billing" : "search-svc";
            String tool = TOOLS.get(i % 4); // "rarely" comes below
            // within the last 30 hours: some before the 24 h window, and across a UTC midnight
            Instant start = this.now.minusMillis((long) (random.nextDouble() * 30 * 3_600_000L))
                    .truncatedTo(ChronoUnit.MICROS);
            double ms = Math.round((5 + random.nextDouble() * 50 + (tool.equals("fetch_page") ? 200 : 0)) * 1000)
                    / 1000.0;
            boolean error = random.nextInt(10) == 0 || (tool.equals(WEIRD) && i % 8 == 2);
            String session = "session-" + (i % 7);
            Map<String, Object> s = span(hex(traceSeq++, 32), hex(1000 + i, 16), null, "server", service,
                    "tools/call", tool, start, ms, error ? "error" : "ok",
                    error ? (i % 2 == 0 ? "tool_error" : "-32603") : null,
                    error ? "failed, with \"quotes\" and, commas" : null, session, "client-" + (i % 2));
            s.put("prompt_tokens", (long) (10 + i % 50));
            s.put("completion_tokens", (long) (i % 5));
            s.put("cost_usd", (10 + i % 50) * 3e-6 + (i % 5) * 15e-6);
            s.put("model", i % 4 == 0 ? "gpt-4o" : "claude-sonnet-4-5");
            spans.add(s);
        }
        // one call of "rarely", two hours ago
        spans.add(span(hex(traceSeq++, 32), hex(5000, 16), null, "server", "search-svc", "tools/call", "rarely",
                this.now.minusSeconds(7200), 12.5, "ok", null, null, "session-0", "client-0"));
        // the catalogs: both services list the same tools
        for (String service : List.of("billing", "search-svc")) {
            Map<String, Object> list = span(hex(traceSeq++, 32), hex(6000 + traceSeq, 16), null, "server", service,
                    "tools/list", null, this.now.minusSeconds(3600), 3.0, "ok", null, null, "session-1", "client-1");
            list.put("prompt_tokens", 420L);
            list.put("cost_usd", 420 * 3e-6);
            list.put("model", "claude-sonnet-4-5");
            StringBuilder names = new StringBuilder("{\"listed_tools\":[");
            for (int i = 0; i < LISTED.size(); i++) {
                names.append(i == 0 ? "" : ",").append(jsonString(LISTED.get(i)));
            }
            list.put("attributes", names.append("]}").toString());
            spans.add(list);
        }
        // a trace across services: client (billing) -> server (search-svc) -> its client call -> server (billing)
        Instant t0 = this.now.minusSeconds(600);
        spans.add(span(CROSS_TRACE, "00f067aa0ba902b7", null, "client", "billing", "tools/call", "search", t0, 100.0,
                "ok", null, null, null, null));
        spans.add(span(CROSS_TRACE, "00f067aa0ba902b8", "00f067aa0ba902b7", "server", "search-svc", "tools/call",
                "search", t0.plusMillis(5), 90.0, "ok", null, null, "session-x", "billing"));
        spans.add(span(CROSS_TRACE, "00f067aa0ba902b9", "00f067aa0ba902b8", "client", "search-svc", "tools/call",
                "fetch_page", t0.plusMillis(20), 60.0, "error", "-32603", "upstream down", null, null));
        spans.add(span(CROSS_TRACE, "f0f067aa0ba902ba", "00f067aa0ba902b9", "server", "billing", "tools/call",
                "fetch_page", t0.plusMillis(25), 50.0, "error", "-32603", "upstream down", "session-y",
                "search-svc"));
    }

    private static Map<String, Object> span(String traceId, String spanId, String parent, String kind, String service,
                                            String method, String tool, Instant start, double ms, String status,
                                            String errorType, String errorMessage, String session, String client) {
        Map<String, Object> s = new LinkedHashMap<>();
        s.put("trace_id", traceId);
        s.put("span_id", spanId);
        s.put("parent_span_id", parent);
        s.put("kind", kind);
        s.put("name", tool == null ? method : method + " " + tool);
        s.put("service", service);
        s.put("mcp_method", method);
        s.put("tool_name", tool);
        s.put("session_id", session);
        s.put("transport", "streamable_http");
        s.put("client_name", client);
        s.put("start_time", start);
        s.put("end_time", start.plusNanos((long) (ms * 1e6)).truncatedTo(ChronoUnit.MICROS));
        s.put("duration_ms", ms);
        s.put("status", status);
        s.put("error_type", errorType);
        s.put("error_message", errorMessage);
        s.put("model", null);
        s.put("prompt_tokens", null);
        s.put("completion_tokens", null);
        s.put("cost_usd", null);
        s.put("attributes", null);
        return s;
    }

    static String hex(long v, int digits) {
        return String.format(Locale.ROOT, "%0" + digits + "x", v);
    }

    static String jsonString(String s) {
        StringBuilder b = new StringBuilder("\"");
        for (char c : s.toCharArray()) {
            switch (c) {
                case '"': b.append("\\\""); break;
                case '\\': b.append("\\\\"); break;
                case '\n': b.append("\\n"); break;
                default: b.append(c);
            }
        }
        return b.append('"').toString();
    }

    /** The spans as the agent's JSON lines, the last line cut short (as while the agent writes it). */
    Path writeJsonLines(Path dir) throws IOException {
        Files.createDirectories(dir);
        StringBuilder out = new StringBuilder();
        for (Map<String, Object> s : spans) {
            out.append('{');
            boolean first = true;
            for (Map.Entry<String, Object> e : s.entrySet()) {
                out.append(first ? "" : ",").append('"').append(e.getKey()).append("\":");
                Object v = e.getValue();
                if (v == null) {
                    out.append("null");
                } else if (e.getKey().equals("attributes")) {
                    out.append(v);
                } else if (v instanceof String || v instanceof Instant) {
                    out.append(jsonString(v.toString()));
                } else {
                    out.append(v);
                }
                first = false;
            }
            out.append("}\n");
        }
        out.append("{\"trace_id\":\"0af7651916cd43dd8448eb2");
        Path file = dir.resolve("spans.jsonl");
        Files.writeString(file, out.toString(), StandardCharsets.UTF_8);
        return file;
    }

    /** The spans as mcp_spans rows, in a schema made from schema/postgres.sql. */
    void insert(Connection db) throws SQLException, IOException {
        try (Statement st = db.createStatement()) {
            st.execute(Files.readString(Path.of("../schema/postgres.sql")));
        }
        try (PreparedStatement ps = db.prepareStatement("INSERT INTO mcp_spans (trace_id, span_id, parent_span_id, "
                + "kind, name, service, mcp_method, tool_name, session_id, transport, client_name, start_time, "
                + "end_time, duration_ms, status, error_type, error_message, model, prompt_tokens, completion_tokens, "
                + "cost_usd, attributes, agent_id) VALUES (CAST(? AS uuid), ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, "
                + "?, ?, ?, ?, ?, ?, CAST(? AS jsonb), '11111111-1111-1111-1111-111111111111')")) {
            for (Map<String, Object> s : spans) {
                int i = 1;
                ps.setString(i++, (String) s.get("trace_id"));
                ps.setLong(i++, Long.parseUnsignedLong((String) s.get("span_id"), 16));
                String parent = (String) s.get("parent_span_id");
                ps.setObject(i++, parent == null ? null : Long.parseUnsignedLong(parent, 16), java.sql.Types.BIGINT);
                for (String k : List.of("kind", "name", "service", "mcp_method", "tool_name", "session_id",
                        "transport", "client_name")) {
                    ps.setString(i++, (String) s.get(k));
                }
                ps.setObject(i++, OffsetDateTime.ofInstant((Instant) s.get("start_time"), ZoneOffset.UTC));
                ps.setObject(i++, OffsetDateTime.ofInstant((Instant) s.get("end_time"), ZoneOffset.UTC));
                ps.setDouble(i++, (Double) s.get("duration_ms"));
                for (String k : List.of("status", "error_type", "error_message", "model")) {
                    ps.setString(i++, (String) s.get(k));
                }
                ps.setObject(i++, s.get("prompt_tokens"), java.sql.Types.BIGINT);
                ps.setObject(i++, s.get("completion_tokens"), java.sql.Types.BIGINT);
                ps.setObject(i++, s.get("cost_usd"), java.sql.Types.DOUBLE);
                ps.setString(i++, (String) s.get("attributes"));
                ps.addBatch();
            }
            ps.executeBatch();
        }
    }

    /** Server spans of tools/call started at or after {@code from}. */
    List<Map<String, Object>> toolCalls(Instant from) {
        List<Map<String, Object>> out = new ArrayList<>();
        for (Map<String, Object> s : spans) {
            if ("server".equals(s.get("kind")) && "tools/call".equals(s.get("mcp_method"))
                    && !((Instant) s.get("start_time")).isBefore(from)) {
                out.add(s);
            }
        }
        return out;
    }
}
