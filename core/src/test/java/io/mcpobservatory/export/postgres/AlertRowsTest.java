package io.mcpobservatory.export.postgres;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.alerts.AlertEvent;
import io.mcpobservatory.alerts.AlertExpression;
import io.mcpobservatory.alerts.AlertRule;
import io.mcpobservatory.alerts.Severity;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.PipelineStats;
import io.mcpobservatory.rates.RateWindow;
import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.List;
import java.util.UUID;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Alerts as rows of {@code mcp_alerts}, written by the real exporter into a real PostgreSQL, off the drainer; the
 * heartbeat's interval and the {@code mcp_agent_health} view; and a database that is down, which must cost the caller
 * nothing (events past the small queue are counted, never waited for).
 */
class AlertRowsTest {

    private static final AlertRule RULE = new AlertRule("search_slow",
            AlertExpression.parse("p95_ms{tool=search} > 2000"), RateWindow.ONE_MINUTE, Severity.CRITICAL, 60_000, 5);

    @TempDir
    Path dir;

    private PostgresExporter exporter(String url, UUID agent) {
        return new PostgresExporter(new PostgresTarget(url, null, null, true, 30, agent, "alert-test",
                ProcessHandle.current().pid(), "test", "17", dir.resolve("spool"), 0, 1));
    }

    @Test
    void anAlertIsARowCompletedWhenItResolvesAndTheAgentsHealthIsAView() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        UUID agent = UUID.randomUUID();
        PostgresExporter exporter = exporter(url, agent);
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        span.end();
        exporter.export(List.of(span)); // migrates the schema
        exporter.heartbeat(new PipelineStats(1, 1, 2, 0, 0, 3, 60_000, 0));
        assertTrue(exporter.awaitIdle(System.nanoTime() + 10_000_000_000L), "the heartbeat thread wrote the row");

        long firedAt = 1_764_600_000_000_000_000L;
        AlertEvent fired = new AlertEvent(UUID.randomUUID(), RULE, firedAt, 2_500.0, 40, 0, Double.NaN);
        exporter.alert(fired);
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement()) {
            assertRow(sql, "SELECT alert_name, severity, expr, rate_window, value::text, threshold::text, service, "
                    + "agent_id = '" + agent + "', extract(epoch FROM fired_at)::bigint, resolved_at IS NULL "
                    + "FROM mcp_alerts",
                    "search_slow|critical|p95_ms{tool=search} > 2000|1m|2500|2000|alert-test|t|1764600000|t");
            assertRow(sql, "SELECT stale, heartbeat_interval, queue_depth, active_alerts"
                    + " FROM mcp_agent_health", "f|00:01:00|3|1");

            exporter.alert(new AlertEvent(fired.id(), RULE, firedAt, 2_500.0, 40, firedAt + 90_000_000_000L, 1_200.0));
            assertRow(sql, "SELECT extract(epoch FROM resolved_at)::bigint, "
                    + "resolved_value::text FROM mcp_alerts WHERE resolved_at IS NOT NULL", "1764600090|1200");
            assertRow(sql, "SELECT count(*) FROM mcp_alerts", "1");
            assertRow(sql, "SELECT active_alerts FROM mcp_agent_health", "0");

            // stale after three heartbeat intervals without a heartbeat: 100 s is not three of 60 s
            sql.execute("UPDATE mcp_agents SET last_seen_at = now() - interval '100 seconds'");
            assertRow(sql, "SELECT stale, heartbeat_interval FROM mcp_agent_health", "f|00:01:00");
            // but it is three of 30 s, assumed for an agent from before V3, which said no interval
            sql.execute("UPDATE mcp_agents SET heartbeat_interval = NULL");
            assertRow(sql, "SELECT stale, heartbeat_interval FROM mcp_agent_health", "t|00:00:30");

            // retention: resolved alerts older than the retention go, firing ones stay
            exporter.alert(new AlertEvent(UUID.randomUUID(), RULE, firedAt, 3_000.0, 40, 0, Double.NaN));
            assertRow(sql, "SELECT count(*) FROM mcp_alerts", "2");
            assertRow(sql, "SELECT mcp_drop_alerts_older_than(30)", "1");
            assertRow(sql, "SELECT count(*), bool_and(resolved_at IS NULL) FROM mcp_alerts", "1|t");
        }
        assertEquals(0, exporter.alertsDropped());
        exporter.close();
    }

    @Test
    void aDatabaseThatIsDownCostsTheCallerNothing() throws Exception {
        PostgresExporter exporter = exporter("jdbc:postgresql://127.0.0.1:1/none?connectTimeout=1", UUID.randomUUID());
        int offered = AlertRows.CAPACITY + 10;
        for (int i = 0; i < offered; i++) {
            // would block or throw if it waited for the database; it queues, then counts
            exporter.alert(new AlertEvent(UUID.randomUUID(), RULE, 1, 1, 1, 0, Double.NaN));
        }
        long dropped = exporter.alertsDropped();
        assertTrue(dropped >= 9 && dropped <= 10, "the queue holds " + AlertRows.CAPACITY + " and the writer one: "
                + dropped);
        exporter.close();
    }

    /**
     * A database that accepts connections and never answers: the heartbeat (called on the drainer) returns at once, its
     * row is written, or given up, by the heartbeat thread; before, the drainer waited out the pool's 5 s connection
     * timeout on every heartbeat, and the application's spans were dropped meanwhile.
     */
    @Test
    void aHeartbeatNeverWaitsForAHangingDatabase() throws Exception {
        try (java.net.ServerSocket silent = new java.net.ServerSocket(0, 50, java.net.InetAddress.getLoopbackAddress())) {
            PostgresExporter exporter = exporter("jdbc:postgresql://127.0.0.1:" + silent.getLocalPort() + "/none",
                    UUID.randomUUID());
            org.junit.jupiter.api.Assertions.assertTimeoutPreemptively(java.time.Duration.ofSeconds(2), () -> {
                exporter.heartbeat(new PipelineStats(1, 1, 0, 0, 0, 0, 60_000, 0));
                exporter.heartbeat(new PipelineStats(2, 2, 0, 0, 0, 0, 60_000, 0));
            }, "heartbeat() waited for the database");
            assertFalse(exporter.awaitIdle(System.nanoTime() + 500_000_000L), "the heartbeat thread is still connecting");
            exporter.close(); // waits at most its bound for the last heartbeat
        }
    }

    /**
     * Waits until the first row of {@code query}, as {@code a|b|c}, is {@code expected} (rows are written by another
     * thread), and fails with what it was when it does not become that within 10 s.
     */
    private static void assertRow(Statement sql, String query, String expected) throws Exception {
        String row = null;
        for (int attempt = 0; attempt < 200 && !expected.equals(row); attempt++) {
            if (attempt > 0) {
                Thread.sleep(50);
            }
            try (ResultSet rs = sql.executeQuery(query)) {
                if (!rs.next()) {
                    row = null;
                    continue;
                }
                StringBuilder text = new StringBuilder();
                for (int i = 1; i <= rs.getMetaData().getColumnCount(); i++) {
                    text.append(i > 1 ? "|" : "").append(rs.getString(i));
                }
                row = text.toString();
            }
        }
        assertEquals(expected, row, query);
    }
}
