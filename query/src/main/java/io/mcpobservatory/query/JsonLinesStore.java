package io.mcpobservatory.query;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.BasicFileAttributes;
import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * The JSON-lines files the agent writes ({@code spans.jsonl} and its rotations {@code spans.jsonl.1}, ...), read into an
 * in-memory DuckDB table with DuckDB's own JSON reader ({@code read_json}, typed columns, so times are timestamptz and
 * numbers numbers). The table is loaded at the first query and again whenever a file's size or modification time
 * changed (at most every 2 s, or ten times the last load's duration), so a server pointed at a live agent's directory
 * answers with what it wrote last. A line cut short (the agent writing it right now) is skipped.
 *
 * <p>There is no agent or alert table in JSON lines: {@code health} answers per service from the spans.
 */
public final class JsonLinesStore extends Store {

    /** The span fields of the JSON lines and their DuckDB types (checked against the agent's SpanSchema in a test). */
    public static final Map<String, String> COLUMNS = columns();
    private static final Pattern FILE = Pattern.compile(".*\\.jsonl(\\.\\d+)?");

    /** The columns {@link #spans()} reads: the table keeps these only (captured content can be large). */
    private static final String LOADED = "trace_id, span_id, parent_span_id, kind, name, service, mcp_method, tool_name, "
            + "prompt_name, resource_uri, session_id, transport, client_name, client_version, start_time, end_time, "
            + "duration_ms, status, error_type, error_message, model, prompt_tokens, completion_tokens, cost_usd, "
            + "attributes";

    private final Path root;
    private final Duration minReload;
    private String loaded;
    private long loadedRows;
    private long lastLoadMillis;
    private long loadedAtNanos;

    /** Reloads changed files at most every 2 s, or every ten times the last load's duration when that is longer. */
    public JsonLinesStore(Path root) {
        this(root, Duration.ofSeconds(2));
    }

    /** {@code minReload} zero: every change is loaded at the next query (tests). */
    JsonLinesStore(Path root, Duration minReload) {
        if (!Files.exists(root)) {
            throw new QueryException("--jsonl " + root + ": no such file or directory");
        }
        this.root = root.toAbsolutePath().normalize();
        this.minReload = minReload;
    }

    private static Map<String, String> columns() {
        Map<String, String> c = new LinkedHashMap<>();
        for (String text : List.of("trace_id", "span_id", "parent_span_id", "kind", "name", "service", "mcp_method",
                "tool_name", "prompt_name", "resource_uri", "jsonrpc_request_id", "session_id", "protocol_version",
                "transport", "client_name", "client_version")) {
            c.put(text, "VARCHAR");
        }
        c.put("start_time", "TIMESTAMPTZ");
        c.put("end_time", "TIMESTAMPTZ");
        c.put("duration_ms", "DOUBLE");
        c.put("status", "VARCHAR");
        c.put("error_type", "VARCHAR");
        c.put("error_message", "VARCHAR");
        c.put("model", "VARCHAR");
        c.put("prompt_tokens", "BIGINT");
        c.put("completion_tokens", "BIGINT");
        c.put("cost_usd", "DOUBLE");
        c.put("retries", "INTEGER");
        c.put("fallback_used", "BOOLEAN");
        c.put("confidence", "DOUBLE");
        c.put("attributes", "JSON");
        c.put("tool_arguments", "VARCHAR");
        c.put("tool_result", "VARCHAR");
        return java.util.Collections.unmodifiableMap(c);
    }

    @Override
    public String kind() {
        return "jsonl";
    }

    @Override
    public String describe() {
        return root.toString();
    }

    /** The span files under the root (itself, when it is a file), oldest rotation first. */
    List<Path> files() {
        if (Files.isRegularFile(root)) {
            return List.of(root);
        }
        try (Stream<Path> walk = Files.walk(root, 3)) {
            return walk.filter(p -> FILE.matcher(p.getFileName().toString()).matches() && Files.isRegularFile(p))
                    .sorted()
                    .collect(Collectors.toList());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    @Override
    protected synchronized Connection connection() throws SQLException {
        if (connection == null) {
            connection = DriverManager.getConnection("jdbc:duckdb:");
            try (Statement s = connection.createStatement()) {
                s.execute("SET threads = 2");
                s.execute("SET TimeZone = 'UTC'");
            }
        }
        return connection;
    }

    @Override
    protected synchronized void refresh() throws SQLException {
        List<Path> files = files();
        StringBuilder signature = new StringBuilder();
        for (Path f : files) {
            try {
                BasicFileAttributes a = Files.readAttributes(f, BasicFileAttributes.class);
                signature.append(f).append(':').append(a.size()).append(':').append(a.lastModifiedTime()).append(';');
            } catch (IOException e) {
                // rotated away between the listing and now: the next query sees the new set
            }
        }
        if (signature.toString().equals(loaded)) {
            return;
        }
        // a live agent appends all the time: reloading at every change would keep a core busy with a large file, so
        // between loads at least minReload passes, and ten times the last load's duration (at most a tenth of the
        // time is spent loading); meanwhile the last load answers
        long wait = minReload.isZero() ? 0 : Math.max(minReload.toNanos(), 10 * lastLoadMillis * 1_000_000L);
        if (loaded != null && System.nanoTime() - loadedAtNanos < wait) {
            return;
        }
        long started = System.nanoTime();
        StringBuilder cols = new StringBuilder();
        for (Map.Entry<String, String> e : COLUMNS.entrySet()) {
            cols.append(cols.length() == 0 ? "" : ", ").append(e.getKey()).append(": '").append(e.getValue())
                    .append('\'');
        }
        String sql;
        if (files.isEmpty()) {
            sql = "CREATE OR REPLACE TABLE spans AS SELECT " + LOADED + " FROM (SELECT " + COLUMNS.entrySet().stream()
                    .map(e -> "CAST(NULL AS " + e.getValue() + ") AS " + e.getKey())
                    .collect(Collectors.joining(", ")) + ") WHERE false";
        } else {
            String list = files.stream().map(f -> "'" + f.toString().replace("'", "''") + "'")
                    .collect(Collectors.joining(", ", "[", "]"));
            sql = "CREATE OR REPLACE TABLE spans AS SELECT " + LOADED + " FROM read_json(" + list
                    + ", format = 'newline_delimited', ignore_errors = true, maximum_object_size = 67108864, "
                    + "columns = {" + cols + "}) WHERE trace_id IS NOT NULL AND start_time IS NOT NULL";
        }
        try (Statement s = connection().createStatement()) {
            s.execute(sql);
            try (java.sql.ResultSet rs = s.executeQuery("SELECT count(*) FROM spans")) {
                rs.next();
                loadedRows = rs.getLong(1);
            }
        }
        loaded = signature.toString();
        loadedAtNanos = System.nanoTime();
        lastLoadMillis = (loadedAtNanos - started) / 1_000_000;
    }

    /** Spans in the table after the latest load, and how long that load took (ms). */
    public synchronized long[] loadStats() {
        return new long[] {loadedRows, lastLoadMillis};
    }

    @Override
    protected String spans() {
        return "(SELECT trace_id AS trace_key, " + LOADED + " FROM spans) s";
    }

    @Override
    protected String traceKeyParam() {
        return "?";
    }

    @Override
    protected String listedToolsFrom(String attributes) {
        return "unnest(from_json(" + attributes + " -> 'listed_tools', '[\"VARCHAR\"]'))";
    }

    @Override
    public boolean hasAgents() {
        return false;
    }

    @Override
    public boolean hasAlerts() {
        return false;
    }
}
