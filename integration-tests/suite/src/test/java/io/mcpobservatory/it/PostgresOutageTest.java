package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.TestDatabase;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.List;
import java.util.stream.Stream;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * PostgreSQL goes away in the middle of a run (connections refused and the agent's connections killed, as when the
 * server restarts) and comes back: the MCP server is unaffected, the spans of the outage wait in the on-disk spool and are
 * replayed, and nothing is lost or written twice. With the spool off they are dropped and counted instead. The outage
 * is of a database of the test's own, so that the tests running beside it do not see it.
 */
class PostgresOutageTest {

    private static final String SDK = "2.1.0";

    @TempDir
    Path dir;

    private TestDatabase.OwnDatabase database;

    @BeforeEach
    void ownDatabase() throws SQLException {
        database = TestDatabase.ownDatabase();
    }

    @AfterEach
    void dropDatabase() throws SQLException {
        database.close();
    }

    @Test
    void outageLosesNothingWithTheSpool() throws Exception {
        String url = database.url();
        Path spool = dir.resolve("spool");
        try (ChildJvm server = startServer(url, "-Dobservatory.spool.dir=" + spool)) {
            String base = baseUrl(server);
            runClient(base);
            awaitRows(url, 13);

            try (Outage outage = new Outage(url)) {
                runClient(base);
                awaitExporterNoticed(server);
                // a writer that asked for a connection before the failure was noticed waits out its own 5 s first
                long deadline = System.nanoTime() + Duration.ofSeconds(15).toNanos();
                while (spooledFiles(spool) == 0 && System.nanoTime() < deadline) {
                    Thread.sleep(100);
                }
                assertTrue(spooledFiles(spool) > 0, "the outage's batches wait in the spool");
            }
            awaitRows(url, 26);
            server.stop(Scenario.TIMEOUT);
            assertTrue(server.stderr().contains("26 spans recorded, 26 exported"), server.stderr());
        }
        try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
             ResultSet rs = sql.executeQuery("SELECT count(*), count(DISTINCT span_id), "
                     + "(SELECT spans_exported FROM mcp_agents), (SELECT sum(spans) FROM mcp_export_batches) "
                     + "FROM mcp_spans")) {
            rs.next();
            assertEquals(26, rs.getLong(1), "every span once");
            assertEquals(26, rs.getLong(2), "no span twice");
            assertEquals(26, rs.getLong(3), "the agent's own count agrees");
            assertEquals(26, rs.getLong(4), "the replayed batches are recorded");
        }
        assertEquals(0, spooledFiles(spool), "the spool is empty once replayed");
    }

    @Test
    void withTheSpoolOffTheOutageIsDroppedAndCounted() throws Exception {
        String url = database.url();
        try (ChildJvm server = startServer(url, "-Dobservatory.spool.max-bytes=0")) {
            String base = baseUrl(server);
            runClient(base);
            awaitRows(url, 13);
            try (Outage outage = new Outage(url)) {
                runClient(base);
                awaitExporterNoticed(server);
            }
            server.stop(Scenario.TIMEOUT);
            String summary = server.stderr();
            assertTrue(summary.contains("26 spans recorded, 13 exported"), summary);
            assertTrue(summary.contains("13 dropped (export failed)"), summary);
        }
    }

    private ChildJvm startServer(String url, String... options) throws Exception {
        List<String> jvm = new java.util.ArrayList<>(List.of("-Dobservatory.jdbc.url=" + url,
                "-Dobservatory.export.interval=100ms", "-Dobservatory.heartbeat.interval=1s",
                "-Dobservatory.service.name=outage"));
        jvm.addAll(List.of(options));
        return ChildJvm.start(dir, "server", Apps.javaCommand(true, jvm, Apps.classPath(SDK), Apps.SERVER,
                "streamable", "0"));
    }

    private static String baseUrl(ChildJvm server) throws Exception {
        return "http://127.0.0.1:" + server.awaitLine("LISTENING ", Scenario.TIMEOUT).substring(10).trim();
    }

    private void runClient(String base) throws Exception {
        try (ChildJvm client = ChildJvm.start(dir, "client-" + System.nanoTime(), Apps.javaCommand(false, List.of(),
                Apps.classPath(SDK), Apps.CLIENT, "streamable", base))) {
            assertEquals(0, client.awaitExit(Scenario.TIMEOUT), client.stdout() + client.stderr());
            assertTrue(client.stdout().contains("STEP call:slow OK"), "the server is unaffected: " + client.stdout());
        }
    }

    /**
     * The outage lasts until the exporter could not connect (a connection attempt waits up to the pool's 5 s timeout;
     * ending the outage earlier would let it succeed) and every span of the run has been tried once more: the run's
     * spans may be in several batches, each waiting for a connection of its own from when it was formed (seen under
     * load: two), so the outage goes on for one more whole timeout after the first failure.
     */
    private static void awaitExporterNoticed(ChildJvm server) throws Exception {
        String noticed = "connecting failed";
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!server.stderr().contains(noticed) && System.nanoTime() < deadline) {
            Thread.sleep(100);
        }
        assertTrue(server.stderr().contains(noticed), "the exporter never noticed: " + server.stderr());
        Thread.sleep(5_500);
    }

    private static long spooledFiles(Path spool) throws Exception {
        if (!Files.isDirectory(spool)) {
            return 0;
        }
        try (Stream<Path> files = Files.list(spool)) {
            return files.filter(f -> f.toString().endsWith(".pgcopy")).count();
        }
    }

    private static void awaitRows(String url, long expected) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(90).toNanos();
        long rows = -1;
        while (System.nanoTime() < deadline) {
            try (Connection db = TestDatabase.connect(url); Statement sql = db.createStatement();
                 ResultSet rs = sql.executeQuery("SELECT count(*) FROM mcp_spans")) {
                rs.next();
                rows = rs.getLong(1);
                if (rows >= expected) {
                    assertEquals(expected, rows);
                    return;
                }
            } catch (SQLException e) {
                // tables not created yet
            }
            Thread.sleep(250);
        }
        throw new AssertionError("mcp_spans has " + rows + " rows, expected " + expected);
    }

    /**
     * The database refuses new connections and the open ones are killed: what the agent sees when PostgreSQL is down
     * or restarting, without stopping the shared server.
     */
    static final class Outage implements AutoCloseable {
        private final String database;
        private final String adminUrl;

        Outage(String url) throws SQLException {
            this.database = TestDatabase.databaseName(url);
            this.adminUrl = TestDatabase.adminUrl(url);
            try (Connection admin = TestDatabase.connect(adminUrl); Statement sql = admin.createStatement()) {
                sql.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS false");
                sql.execute("SELECT pg_terminate_backend(pid) FROM pg_stat_activity WHERE datname = '" + database
                        + "' AND pid <> pg_backend_pid()");
            }
        }

        @Override
        public void close() throws SQLException {
            try (Connection admin = TestDatabase.connect(adminUrl); Statement sql = admin.createStatement()) {
                sql.execute("ALTER DATABASE " + database + " ALLOW_CONNECTIONS true");
            }
        }
    }
}
