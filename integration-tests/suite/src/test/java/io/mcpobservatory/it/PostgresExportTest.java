package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.Statement;
import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With {@code observatory.jdbc.url} set, the foundation scenario lands in {@code mcp_spans}, one row per span, with the
 * same classification the JSON lines carry; the agent registers itself in {@code mcp_agents}; and a wrong URL or password
 * is a warning, never a broken server.
 */
class PostgresExportTest {

    @TempDir
    Path dir;

    @Test
    void foundationScenarioLandsInMcpSpans() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        Scenario run = Scenario.run(dir, "2.1.0", "streamable", "-Dobservatory.jdbc.url=" + url,
                "-Dobservatory.heartbeat.interval=1s");
        assertTrue(run.serverStderr.contains("13 spans recorded, 13 exported to postgres"), run.serverStderr);
        assertFalse(run.serverStderr.contains("user=postgres"), "the URL's parameters are never logged");

        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement()) {
            List<String> rows = new ArrayList<>();
            try (ResultSet rs = sql.executeQuery("SELECT name, status, coalesce(error_type, '-'), transport, "
                    + "client_name, duration_ms, trace_id::text, span_id, parent_span_id, service FROM mcp_spans")) {
                while (rs.next()) {
                    rows.add(rs.getString(1) + "|" + rs.getString(2) + "|" + rs.getString(3));
                    assertEquals("streamable_http", rs.getString(4));
                    assertEquals("it-client", rs.getString(5));
                    assertTrue(rs.getString(7).matches("[0-9a-f-]{36}"));
                    assertTrue(rs.getLong(8) != 0);
                    assertEquals(null, rs.getObject(9));
                    assertEquals("it-server-2.1.0", rs.getString(10));
                    if (rs.getString(1).equals("tools/call slow")) {
                        assertTrue(rs.getDouble(6) >= 200.0, "slow tool took " + rs.getDouble(6));
                    }
                }
            }
            Collections.sort(rows);
            assertEquals(List.of(
                    "initialize|ok|-",
                    "notifications/initialized|ok|-",
                    "ping|ok|-",
                    "prompts/get greeting|ok|-",
                    "resources/read|ok|-",
                    "tools/call add|error|tool_error",
                    "tools/call add|ok|-",
                    "tools/call fast|ok|-",
                    "tools/call is_error|error|tool_error",
                    "tools/call no_such_tool|error|-32602",
                    "tools/call slow|ok|-",
                    "tools/call throws|error|-32603",
                    "tools/list|ok|-"), rows);

            try (ResultSet rs = sql.executeQuery("SELECT (SELECT count(DISTINCT trace_id) FROM mcp_spans), "
                    + "(SELECT sum(spans) FROM mcp_export_batches)")) {
                rs.next();
                assertEquals(13, rs.getInt(1), "each request its own trace");
                assertEquals(13, rs.getInt(2), "the batches recorded account for every row");
            }
            try (ResultSet rs = sql.executeQuery("SELECT service, spans_recorded, spans_exported, pid, last_seen_at "
                    + ">= started_at FROM mcp_agents")) {
                assertTrue(rs.next(), "the agent registered itself");
                assertEquals("it-server-2.1.0", rs.getString(1));
                assertEquals(13, rs.getLong(2));
                assertEquals(13, rs.getLong(3), "the final heartbeat carries the final counters");
                assertTrue(rs.getLong(4) > 0);
                assertTrue(rs.getBoolean(5));
                assertFalse(rs.next(), "one agent, one row");
            }
            try (ResultSet rs = sql.executeQuery("SELECT calls, errors FROM mcp_tool_stats_hourly "
                    + "WHERE tool_name = 'add'")) {
                assertTrue(rs.next());
                assertEquals(2, rs.getLong(1));
                assertEquals(1, rs.getLong(2));
            }
        }
    }

    @Test
    void queuedSpansAreFlushedAtShutdown() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        // batches would wait a minute: only the shutdown flush (SIGTERM, observatory.shutdown.timeout) writes them
        Scenario run = Scenario.run(dir, "2.1.0", "streamable", "-Dobservatory.jdbc.url=" + url,
                "-Dobservatory.export.interval=60s", "-Dobservatory.export.batch-size=1000");
        assertTrue(run.serverStderr.contains("13 spans recorded, 13 exported"), run.serverStderr);
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*) FROM mcp_spans")) {
            rs.next();
            assertEquals(13, rs.getLong(1));
        }
    }

    @Test
    void wrongPasswordIsAWarningAndTheServerWorks() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        String wrong = url.replace("user=postgres", "user=no_such_user") + "&password=s3cret-value";
        Scenario run = Scenario.run(dir, "2.1.0", "streamable", "-Dobservatory.jdbc.url=" + wrong);
        assertTrue(run.clientStdout.contains("STEP call:slow OK"), run.clientStdout);
        assertTrue(run.serverStderr.contains("WARN PostgreSQL"), run.serverStderr);
        assertFalse(run.serverStderr.contains("s3cret-value"), "the password never appears in a log line");
        assertTrue(run.serverStderr.contains("no_such_user"), "the warning says why: " + run.serverStderr);
        assertTrue(run.serverStderr.contains("(13 of them waiting in the spool for the database)"), run.serverStderr);
        assertFalse(run.serverStderr.contains("SLF4J"), "the agent's relocated logging stays silent");
    }

    @Test
    void unreachableDatabaseIsAWarningAndTheServerWorks() throws Exception {
        Scenario run = Scenario.run(dir, "2.1.0", "stdio",
                "-Dobservatory.jdbc.url=jdbc:postgresql://127.0.0.1:1/nothing?connectTimeout=1");
        assertTrue(run.clientStdout.contains("STEP call:slow OK"), run.clientStdout);
        assertTrue(run.clientStdout.contains("DONE"), run.clientStdout);
    }
}
