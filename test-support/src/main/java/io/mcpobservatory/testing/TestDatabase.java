package io.mcpobservatory.testing;

import java.sql.Connection;
import java.sql.DriverManager;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.Properties;
import java.util.UUID;
import org.postgresql.Driver;

/**
 * The PostgreSQL the tests write to: {@code OBSERVATORY_TEST_JDBC_URL} (a database the tests may create schemas in), else
 * the local server on 127.0.0.1:5432 as user {@code postgres} (database {@code mcp_observatory_test}, created if missing),
 * else, when that server cannot be reached and a Docker engine is available, one PostgreSQL container started by
 * Testcontainers for this test JVM ({@link DockerDatabase}). With none of them, tests fail with a message saying how to
 * provide one: they never skip. Each test gets its own schema, so tests never see each other's rows; the agent reaches it
 * through {@code currentSchema} in its JDBC URL.
 */
public final class TestDatabase {

    public static final String ENV = "OBSERVATORY_TEST_JDBC_URL";
    private static final String LOCAL = "127.0.0.1:5432";
    private static final String LOCAL_SERVER = "jdbc:postgresql://" + LOCAL + "/";
    private static final String LOCAL_DATABASE = "mcp_observatory_test";

    private static final Driver DRIVER = new Driver();
    private static String baseUrl;
    private static SQLException noDatabase;

    private TestDatabase() {
    }

    /** A fresh, empty schema; returns the JDBC URL whose connections use it. */
    public static synchronized String freshSchemaUrl() throws SQLException {
        String base = baseUrl();
        String schema = "it_" + UUID.randomUUID().toString().replace("-", "").substring(0, 12);
        try (Connection connection = connect(base);
             Statement statement = connection.createStatement()) {
            statement.execute("CREATE SCHEMA " + schema);
        }
        return base + (base.contains("?") ? "&" : "?") + "currentSchema=" + schema;
    }

    /**
     * A database of its own, on the same server, for a test that takes its whole database away (connections refused,
     * backends killed): the tests run two classes at a time, and the others must not see that outage. Dropped on close.
     */
    public static OwnDatabase ownDatabase() throws SQLException {
        String base = baseUrl();
        String name = databaseName(base) + "_" + UUID.randomUUID().toString().replace("-", "").substring(0, 8);
        try (Connection admin = connect(adminUrl(base)); Statement sql = admin.createStatement()) {
            sql.execute("CREATE DATABASE " + name);
        }
        return new OwnDatabase(withDatabase(base, name));
    }

    /** A database made by {@link #ownDatabase()}. */
    public static final class OwnDatabase implements AutoCloseable {
        private final String url;

        private OwnDatabase(String url) {
            this.url = url;
        }

        public String url() {
            return url;
        }

        @Override
        public void close() throws SQLException {
            try (Connection admin = connect(adminUrl(url)); Statement sql = admin.createStatement()) {
                sql.execute("DROP DATABASE IF EXISTS " + databaseName(url) + " WITH (FORCE)");
            }
        }
    }

    /** The database name of a {@code jdbc:postgresql://host:port/name?...} URL. */
    public static String databaseName(String url) {
        String path = url.substring(url.indexOf("//") + 2);
        path = path.substring(path.indexOf('/') + 1);
        int query = path.indexOf('?');
        return query < 0 ? path : path.substring(0, query);
    }

    /** The same server and credentials, database {@code postgres}: for ALTER DATABASE and pg_terminate_backend. */
    public static String adminUrl(String url) {
        return withDatabase(url, "postgres").replaceAll("[?&]currentSchema=[^&]*", "");
    }

    /** The same URL with another database name. */
    private static String withDatabase(String url, String database) {
        return url.replaceFirst("/" + databaseName(url) + "(\\?|$)", "/" + database + "$1");
    }

    /**
     * A connection through pgjdbc's driver itself, not {@link DriverManager}: an exporter running in the test's own JVM
     * deregisters the (same, unrelocated) driver from {@code DriverManager}, as the agent does with its relocated copy.
     */
    public static Connection connect(String url) throws SQLException {
        Connection connection = DRIVER.connect(url, new Properties());
        if (connection == null) {
            throw new SQLException("not a PostgreSQL JDBC URL: " + url);
        }
        return connection;
    }

    private static String baseUrl() throws SQLException {
        if (baseUrl != null) {
            return baseUrl;
        }
        if (noDatabase != null) {
            throw new SQLException(noDatabase.getMessage(), noDatabase.getCause());
        }
        String fromEnv = System.getenv(ENV);
        if (fromEnv != null && !fromEnv.isBlank()) {
            baseUrl = fromEnv.trim();
            return baseUrl;
        }
        String admin = LOCAL_SERVER + "postgres?user=postgres";
        try (Connection connection = connect(admin);
             Statement statement = connection.createStatement()) {
            try (ResultSet exists = statement.executeQuery(
                    "SELECT 1 FROM pg_database WHERE datname = '" + LOCAL_DATABASE + "'")) {
                if (!exists.next()) {
                    statement.execute("CREATE DATABASE " + LOCAL_DATABASE);
                }
            }
            baseUrl = LOCAL_SERVER + LOCAL_DATABASE + "?user=postgres";
            return baseUrl;
        } catch (SQLException local) {
            String state = local.getSQLState();
            if (state == null || !state.startsWith("08")) {
                // the local server answered but refused us (authentication, missing role...): say so, not Docker
                throw noDatabase("the local server on " + LOCAL + " answered but: " + local.getMessage(), local);
            }
            // Unreachable: only now is Testcontainers touched (its classes, the Docker probe and its log).
            String docker;
            try {
                docker = DockerDatabase.startIfEngineAvailable(LOCAL_DATABASE);
            } catch (RuntimeException | LinkageError e) {
                throw noDatabase("nothing listens on " + LOCAL + " (" + local.getMessage()
                        + ") and the PostgreSQL container did not start: " + e, e);
            }
            if (docker == null) {
                throw noDatabase("nothing listens on " + LOCAL + " (" + local.getMessage()
                        + ") and Testcontainers found no Docker engine (its log is in the test's output file)", local);
            }
            baseUrl = docker;
            return baseUrl;
        }
    }

    /** The failure every database test reports (the first one remembered, so later tests fail at once, the same way). */
    private static SQLException noDatabase(String cause, Throwable e) {
        noDatabase = new SQLException("No PostgreSQL for the tests. Provide one of: (1) " + ENV + "=<JDBC URL, with user "
                + "and password parameters, of a database the tests may create schemas in>; (2) a PostgreSQL on "
                + LOCAL + " with trust authentication for user postgres (.ci/run starts the local one); (3) a "
                + "Docker engine Testcontainers can reach (DOCKER_HOST or /var/run/docker.sock), where the tests start "
                + DockerDatabase.IMAGE + " themselves. Cause: " + cause, e);
        return noDatabase;
    }
}
