package io.mcpobservatory.query;

import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Properties;

/**
 * The PostgreSQL the agents export to: {@code mcp_spans}, {@code mcp_agents} (through {@code mcp_agent_health}) and
 * {@code mcp_alerts} when the schema has them. The tables are found through the connection's {@code search_path}
 * ({@code currentSchema=...} in the URL).
 *
 * <p>Read-only: the session is {@code default_transaction_read_only} (a role with SELECT alone is enough; see the
 * README's GRANTs) and every statement is bounded by {@code statement_timeout}, unless the server was started with
 * {@code --allow-writes}, which lets the alert actions insert and update {@code mcp_alerts}.
 */
public final class PostgresStore extends Store {

    private final String url;
    private final Duration statementTimeout;
    private final boolean allowWrites;
    private Boolean agents;
    private Boolean alerts;

    public PostgresStore(String url, Duration statementTimeout, boolean allowWrites) {
        if (url == null || !url.startsWith("jdbc:postgresql:")) {
            throw new QueryException("--jdbc-url must be a PostgreSQL JDBC URL (jdbc:postgresql://host:port/db?...)");
        }
        this.url = url;
        this.statementTimeout = statementTimeout;
        this.allowWrites = allowWrites;
    }

    @Override
    public String kind() {
        return "postgres";
    }

    @Override
    public String describe() {
        int q = url.indexOf('?');
        return q < 0 ? url : url.substring(0, q);
    }

    @Override
    protected synchronized Connection connection() throws SQLException {
        if (connection != null && connection.isValid(2)) {
            return connection;
        }
        if (connection != null) {
            try {
                connection.close();
            } catch (SQLException ignored) {
                // it is being replaced
            }
        }
        Properties props = new Properties();
        props.setProperty("ApplicationName", "mcp-observatory-query");
        props.setProperty("connectTimeout", "10");
        Connection c = new org.postgresql.Driver().connect(url, props);
        if (c == null) {
            throw new SQLException("not a PostgreSQL URL");
        }
        try (Statement s = c.createStatement()) {
            s.execute("SET statement_timeout = " + Math.max(1, statementTimeout.toMillis()));
            if (!allowWrites) {
                s.execute("SET default_transaction_read_only = on");
            }
        }
        c.setAutoCommit(true);
        connection = c;
        agents = null;
        alerts = null;
        return c;
    }

    /** Connects once, so a wrong URL or password is said at start, and reads which tables the schema has. */
    public void check() {
        try {
            connection();
            if (!exists("mcp_spans")) {
                throw new QueryException("no table mcp_spans in the search_path of " + describe()
                        + " (give the schema with currentSchema=... in the URL)");
            }
        } catch (SQLException e) {
            throw failure(e);
        }
    }

    private boolean exists(String relation) throws SQLException {
        try (Statement s = connection().createStatement();
             ResultSet rs = s.executeQuery("SELECT to_regclass('" + relation + "') IS NOT NULL")) {
            rs.next();
            return rs.getBoolean(1);
        }
    }

    @Override
    public synchronized boolean hasAgents() {
        if (agents == null) {
            try {
                agents = exists("mcp_agent_health");
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        return agents;
    }

    @Override
    public synchronized boolean hasAlerts() {
        if (alerts == null) {
            try {
                alerts = exists("mcp_alerts");
            } catch (SQLException e) {
                throw failure(e);
            }
        }
        return alerts;
    }

    public boolean allowWrites() {
        return allowWrites;
    }

    @Override
    protected String spans() {
        // a plain projection: the planner flattens it, so start_time ranges still prune partitions and the trace_id
        // index still serves trace_key
        return "(SELECT replace(trace_id::text, '-', '') AS trace_id, trace_id AS trace_key, "
                + "lpad(to_hex(span_id), 16, '0') AS span_id, "
                + "CASE WHEN parent_span_id IS NULL THEN NULL ELSE lpad(to_hex(parent_span_id), 16, '0') END "
                + "AS parent_span_id, kind, name, service, mcp_method, tool_name, prompt_name, resource_uri, "
                + "session_id, transport, client_name, client_version, start_time, end_time, duration_ms, status, "
                + "error_type, error_message, model, prompt_tokens, completion_tokens, cost_usd, attributes "
                + "FROM mcp_spans) s";
    }

    @Override
    protected String traceKeyParam() {
        return "CAST(? AS uuid)";
    }

    @Override
    protected String listedToolsFrom(String attributes) {
        return "jsonb_array_elements_text(" + attributes + " -> 'listed_tools')";
    }
}
