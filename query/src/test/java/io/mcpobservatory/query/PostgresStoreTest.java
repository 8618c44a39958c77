package io.mcpobservatory.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertThrows;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.TestDatabase;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

class PostgresStoreTest extends StoreContract {

    static String url;
    static PostgresStore store;

    @BeforeAll
    static void insert() throws Exception {
        url = TestDatabase.freshSchemaUrl();
        try (Connection db = TestDatabase.connect(url)) {
            DATA.insert(db);
            try (Statement st = db.createStatement()) {
                // one agent alive (now), one stale (its last heartbeat long ago), and alerts
                st.execute("INSERT INTO mcp_agents (agent_id, service, host, pid, jvm_version, started_at, last_seen_at, "
                        + "spans_recorded, heartbeat_interval) VALUES ('11111111-1111-1111-1111-111111111111', "
                        + "'search-svc', 'h1', 10, '17', now() - interval '1 hour', now(), 600, interval '30 seconds'), "
                        + "('22222222-2222-2222-2222-222222222222', 'billing', 'h2', 11, '17', now() - interval '2 hours',"
                        + " now() - interval '10 minutes', 300, interval '30 seconds')");
                st.execute("INSERT INTO mcp_alerts (alert_id, agent_id, fired_at, resolved_at, value, threshold, "
                        + "service, alert_name, severity, expr, rate_window) VALUES "
                        + "('33333333-3333-3333-3333-333333333333', '11111111-1111-1111-1111-111111111111', "
                        + "'2026-06-15T07:00:00Z', NULL, 0.2, 0.05, 'search-svc', 'errors', 'critical', "
                        + "'error_rate > 0.05', '5m'), ('44444444-4444-4444-4444-444444444444', "
                        + "'11111111-1111-1111-1111-111111111111', '2026-06-15T05:00:00Z', '2026-06-15T05:10:00Z', 900, "
                        + "500, 'search-svc', 'slow', 'warning', 'p95_ms > 500', '5m'), "
                        + "('55555555-5555-5555-5555-555555555555', '11111111-1111-1111-1111-111111111111', "
                        + "'2026-06-10T05:00:00Z', '2026-06-10T05:10:00Z', 900, 500, 'search-svc', 'old', 'info', "
                        + "'p95_ms > 500', '5m')");
            }
        }
        store = new PostgresStore(url, Duration.ofSeconds(15), false);
        store.check();
    }

    @AfterAll
    static void close() {
        store.close();
    }

    @Override
    Store store() {
        return store;
    }

    @Test
    void healthIsTheAgentsHeartbeats() {
        Queries q = queries();
        Table t = q.health(Window.last(Duration.ofDays(1), java.time.Instant.now()), 10);
        assertEquals(2, t.size());
        assertEquals("billing", t.text(0, "service"), "stale agents first");
        assertEquals(Boolean.TRUE, t.get(0, "stale"));
        assertEquals(Boolean.FALSE, t.get(1, "stale"));
        assertEquals(1L, (long) t.number(1, "active_alerts"));
    }

    @Test
    void alertsAreListedAndTheStoreIsReadOnly() {
        Queries q = queries();
        Table all = q.alerts(q.window("24h"), false, 10);
        assertEquals(java.util.List.of("errors", "slow"), columnText(all, "alert_name"), "firing first");
        assertEquals(Boolean.TRUE, all.get(0, "active"));
        assertEquals(1, q.alerts(q.window("24h"), true, 10).size());
        QueryException e = assertThrows(QueryException.class, () -> q.createAlert("x", "warning", null, "y", null,
                null));
        assertTrue(e.getMessage().contains("read-only"), e.getMessage());
        // even a write that slipped through would be refused by the session
        QueryException refused = assertThrows(QueryException.class, () -> store.execute(
                "UPDATE mcp_alerts SET severity = 'info'", java.util.List.of()));
        assertTrue(refused.getMessage().contains("read-only"), refused.getMessage());
    }

    @Test
    void withAllowWritesAlertsAreCreatedAndResolved() {
        try (PostgresStore writable = new PostgresStore(url, Duration.ofSeconds(15), true)) {
            Queries q = new Queries(writable, java.time.Clock.systemUTC());
            String id = q.createAlert("manual check", "critical", "search-svc", "fetch_page fails since 07:00", 0.4,
                    0.05);
            Table active = q.alerts(q.window("1h"), true, 10);
            assertTrue(columnText(active, "alert_id").contains(id));
            assertTrue(q.resolveAlert(id));
            assertFalse(q.resolveAlert(id), "resolved once");
            assertFalse(columnText(q.alerts(q.window("1h"), true, 10), "alert_id").contains(id));
            assertThrows(QueryException.class, () -> q.createAlert("x", "fatal", null, "y", null, null));
            assertThrows(QueryException.class, () -> q.resolveAlert("not-a-uuid"));
            writable.execute("DELETE FROM mcp_alerts WHERE alert_id = CAST(? AS uuid)", java.util.List.of(id));
        }
    }

    @Test
    void aRoleWithSelectOnlyIsEnough() throws Exception {
        String schema = url.replaceAll(".*currentSchema=([^&]*).*", "$1");
        try (Connection db = TestDatabase.connect(url); Statement st = db.createStatement()) {
            st.execute("DO $$ BEGIN IF NOT EXISTS (SELECT 1 FROM pg_roles WHERE rolname = 'mcp_observatory_reader') "
                    + "THEN CREATE ROLE mcp_observatory_reader LOGIN; END IF; END $$");
            // the GRANTs of the README
            st.execute("GRANT USAGE ON SCHEMA " + schema + " TO mcp_observatory_reader");
            st.execute("GRANT SELECT ON mcp_spans, mcp_agents, mcp_agent_health, mcp_alerts TO mcp_observatory_reader");
        }
        String reader = url.replace("user=postgres", "user=mcp_observatory_reader");
        try (PostgresStore s = new PostgresStore(reader, Duration.ofSeconds(15), false)) {
            s.check();
            Queries q = new Queries(s, java.time.Clock.fixed(NOW, java.time.ZoneOffset.UTC));
            assertFalse(q.toolStats(q.window("24h"), Filter.NONE, "calls", 10).isEmpty());
            assertEquals(4, q.trace(Synthetic.CROSS_TRACE).size());
            assertFalse(q.unusedTools(q.window("24h"), Filter.NONE).isEmpty());
            assertEquals(2, q.alerts(q.window("24h"), false, 10).size());
            assertEquals(2, q.health(Window.last(Duration.ofDays(1), java.time.Instant.now()), 10).size());
            new Report(q).html("24h", 0);
        }
    }

    @Test
    void aSlowQueryIsCutByTheStatementTimeout() {
        try (PostgresStore s = new PostgresStore(url, Duration.ofMillis(200), false)) {
            QueryException e = assertThrows(QueryException.class, () -> s.query("SELECT pg_sleep(2)",
                    java.util.List.of()));
            assertTrue(e.getMessage().contains("statement timeout"), e.getMessage());
        }
    }

    @Test
    void aWrongUrlIsOneClearLine() {
        QueryException e = assertThrows(QueryException.class, () -> new PostgresStore("jdbc:postgresql://127.0.0.1:1/x"
                + "?connectTimeout=1", Duration.ofSeconds(1), false).check());
        assertFalse(e.getMessage().contains("\n"), e.getMessage());
        assertThrows(QueryException.class, () -> new PostgresStore("jdbc:mysql://x", Duration.ofSeconds(1), false));
    }
}
