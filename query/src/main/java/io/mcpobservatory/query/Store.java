package io.mcpobservatory.query;

import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.ResultSetMetaData;
import java.sql.SQLException;
import java.sql.Timestamp;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;

/**
 * Where the telemetry is read from: PostgreSQL ({@link PostgresStore}) or the JSON-lines files through an embedded
 * DuckDB ({@link JsonLinesStore}). Both answer the same SQL ({@link Queries}) over one relation of spans with the same
 * columns ({@link #spans()}): ids as hex text, times as timestamptz. Read-only: nothing here writes, except the alert
 * actions a server started with {@code --allow-writes} runs ({@link #execute}).
 *
 * <p>One connection, used by one query at a time (queries are short and bounded; the MCP server's tools are called
 * one after another by a model).
 */
public abstract class Store implements AutoCloseable {

    /** Rows any one query returns at most. */
    public static final int MAX_ROWS = 10_000;

    /** "postgres" or "jsonl". */
    public abstract String kind();

    /** Where the data is, for people: the URL without its parameters, or the directory. */
    public abstract String describe();

    /**
     * A relation (a parenthesised SELECT with an alias) of every span with these columns: trace_id, span_id,
     * parent_span_id (hex text), trace_key (what {@link #traceKeyParam} compares with), kind, name, service,
     * mcp_method, tool_name, prompt_name, resource_uri, session_id, transport, client_name, client_version, start_time,
     * end_time (timestamptz), duration_ms, status, error_type, error_message, model, prompt_tokens, completion_tokens,
     * cost_usd, attributes (JSON).
     */
    protected abstract String spans();

    /** The placeholder a trace id (32 hex digits) is compared with trace_key through. */
    protected abstract String traceKeyParam();

    /** An expression listing, one row each, the tool names a tools/list span's attributes name; null: not known. */
    protected abstract String listedToolsFrom(String attributesColumn);

    public abstract boolean hasAgents();

    /** The store's one connection, opened by {@link #connection()} when first needed. */
    protected Connection connection;

    @Override
    public synchronized void close() {
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // closing anyway
            }
            connection = null;
        }
    }

    public abstract boolean hasAlerts();

    protected abstract Connection connection() throws SQLException;

    /** Called before each query: the JSON-lines store reloads files that changed. */
    protected void refresh() throws SQLException {
    }

    public final synchronized Table query(String sql, List<Object> params) {
        try {
            refresh();
            Connection c = connection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                ps.setMaxRows(MAX_ROWS);
                try (ResultSet rs = ps.executeQuery()) {
                    return read(rs);
                }
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    /** An INSERT or UPDATE (alert actions, only with --allow-writes); returns the rows changed. */
    public final synchronized int execute(String sql, List<Object> params) {
        try {
            Connection c = connection();
            try (PreparedStatement ps = c.prepareStatement(sql)) {
                bind(ps, params);
                return ps.executeUpdate();
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    protected QueryException failure(SQLException e) {
        String state = e.getSQLState();
        if ("57014".equals(state)) {
            return new QueryException("the query ran longer than the statement timeout: ask for a shorter window or "
                    + "fewer rows", e);
        }
        String message = e.getMessage() == null ? e.toString() : e.getMessage().split("\n")[0];
        return new QueryException(kind() + " query failed: " + message, e);
    }

    private static void bind(PreparedStatement ps, List<Object> params) throws SQLException {
        for (int i = 0; i < params.size(); i++) {
            Object p = params.get(i);
            if (p instanceof Instant) {
                ps.setString(i + 1, p.toString()); // always CAST(? AS TIMESTAMPTZ) in the SQL
            } else {
                ps.setObject(i + 1, p);
            }
        }
    }

    private static Table read(ResultSet rs) throws SQLException {
        ResultSetMetaData md = rs.getMetaData();
        int n = md.getColumnCount();
        List<String> columns = new ArrayList<>(n);
        for (int i = 1; i <= n; i++) {
            columns.add(md.getColumnLabel(i).toLowerCase(java.util.Locale.ROOT));
        }
        List<Object[]> rows = new ArrayList<>();
        while (rs.next()) {
            Object[] row = new Object[n];
            for (int i = 1; i <= n; i++) {
                row[i - 1] = plain(rs.getObject(i));
            }
            rows.add(row);
        }
        return new Table(columns, rows);
    }

    /** JDBC values as the few plain types a {@link Table} holds. */
    static Object plain(Object v) {
        if (v == null || v instanceof String || v instanceof Boolean || v instanceof Long || v instanceof Double) {
            return v;
        }
        if (v instanceof Integer || v instanceof Short || v instanceof Byte) {
            return ((Number) v).longValue();
        }
        if (v instanceof java.math.BigDecimal) {
            java.math.BigDecimal d = (java.math.BigDecimal) v;
            return d.scale() <= 0 && d.abs().compareTo(java.math.BigDecimal.valueOf(Long.MAX_VALUE)) < 0
                    ? (Object) d.longValue() : (Object) d.doubleValue();
        }
        if (v instanceof java.math.BigInteger) {
            return ((java.math.BigInteger) v).longValue();
        }
        if (v instanceof Float) {
            return ((Float) v).doubleValue();
        }
        if (v instanceof Timestamp) {
            return ((Timestamp) v).toInstant();
        }
        if (v instanceof OffsetDateTime) {
            return ((OffsetDateTime) v).toInstant();
        }
        if (v instanceof java.time.LocalDateTime) {
            return ((java.time.LocalDateTime) v).toInstant(java.time.ZoneOffset.UTC);
        }
        return v.toString(); // uuid, interval, json...
    }
}
