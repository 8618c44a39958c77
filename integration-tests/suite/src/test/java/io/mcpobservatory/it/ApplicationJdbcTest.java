package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.testing.TestDatabase;
import java.io.File;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Driver;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.Statement;
import java.time.Duration;
import java.util.Collections;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The agent's pgjdbc is relocated and never stays registered with DriverManager: an application that uses its own pgjdbc
 * through DriverManager, in a JVM where the agent's exporter is connected to the same database, gets its own driver.
 */
class ApplicationJdbcTest {

    @TempDir
    Path dir;

    @Test
    void applicationsOwnDriverIsUnaffected() throws Exception {
        String url = TestDatabase.freshSchemaUrl();
        String classPath = Apps.testClassPath() + File.pathSeparator + Apps.classPath("2.1.0");
        try (ChildJvm app = ChildJvm.start(dir, "jdbc-app", Apps.javaCommand(true, List.of(
                "-Dobservatory.jdbc.url=" + url, "-Dobservatory.heartbeat.interval=1s"),
                classPath, JdbcApp.class.getName(), url))) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stdout() + app.stderr());
            String out = app.stdout();
            assertTrue(out.contains("agent row seen through the application's own driver"), out + app.stderr());
            assertTrue(out.contains("drivers: [org.postgresql.Driver]"), out);
            assertTrue(out.contains("connection: org.postgresql.jdbc.PgConnection"), out);
        }
    }

    /** Waits until the agent's exporter has connected (its heartbeat row exists), then uses JDBC as any app would. */
    public static final class JdbcApp {
        public static void main(String[] args) throws Exception {
            Class.forName("io.modelcontextprotocol.spec.McpServerSession"); // wakes the agent up
            String url = args[0];
            long deadline = System.nanoTime() + Duration.ofSeconds(30).toNanos();
            boolean seen = false;
            while (!seen && System.nanoTime() < deadline) {
                try (Connection connection = DriverManager.getConnection(url);
                     Statement sql = connection.createStatement();
                     ResultSet rs = sql.executeQuery("SELECT count(*) FROM mcp_agents")) {
                    rs.next();
                    seen = rs.getInt(1) > 0;
                    if (seen) {
                        System.out.println("connection: " + connection.getClass().getName());
                    }
                } catch (java.sql.SQLException e) {
                    // the agent has not created its tables yet
                }
                if (!seen) {
                    Thread.sleep(200);
                }
            }
            if (seen) {
                System.out.println("agent row seen through the application's own driver");
            }
            List<String> drivers = new java.util.ArrayList<>();
            for (Driver driver : Collections.list(DriverManager.getDrivers())) {
                drivers.add(driver.getClass().getName());
            }
            System.out.println("drivers: " + drivers);
        }
    }
}
