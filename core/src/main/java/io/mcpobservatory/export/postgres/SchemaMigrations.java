package io.mcpobservatory.export.postgres;

import io.mcpobservatory.log.Log;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.PreparedStatement;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.util.List;

/**
 * Applies the shipped migrations ({@code schema/migrations}, packaged as resources) at start, in version order, each in
 * its own transaction under a transaction-scoped advisory lock, so agents starting together never half-apply one. A
 * version already in {@code mcp_schema_version} is skipped.
 */
final class SchemaMigrations {

    /** The shipped migrations, oldest first. A new migration is added here and in {@code schema/migrations}. */
    static final List<String> FILES = List.of("V1__spans_agents.sql", "V2__drop_unmeasured_sizes.sql",
            "V3__alerts_agent_health.sql", "V4__content_capture_sampling.sql");

    /** Advisory lock key shared by every MCP Observatory agent ("mcpobs" in ASCII). */
    static final long LOCK_KEY = 0x6d63706f6273L;

    private static final String RESOURCE_DIR = "/io/mcpobservatory/schema/migrations/";

    private SchemaMigrations() {
    }

    static void apply(Connection connection) throws SQLException, IOException {
        boolean autoCommit = connection.getAutoCommit();
        connection.setAutoCommit(false);
        try {
            for (String file : FILES) {
                int version = Integer.parseInt(file.substring(1, file.indexOf("__")));
                applyOne(connection, version, file);
            }
        } finally {
            connection.setAutoCommit(autoCommit);
        }
    }

    private static void applyOne(Connection connection, int version, String file) throws SQLException, IOException {
        try (Statement statement = connection.createStatement()) {
            statement.execute("SELECT pg_advisory_xact_lock(" + LOCK_KEY + ")");
            statement.execute("CREATE TABLE IF NOT EXISTS mcp_schema_version (version int PRIMARY KEY, "
                    + "description text, applied_at timestamptz NOT NULL DEFAULT now())");
            if (applied(connection, version)) {
                connection.commit();
                return;
            }
            statement.execute(read(file));
            try (PreparedStatement insert = connection.prepareStatement("INSERT INTO mcp_schema_version (version, "
                    + "description) VALUES (?, ?) ON CONFLICT (version) DO NOTHING")) {
                insert.setInt(1, version);
                insert.setString(2, file.substring(file.indexOf("__") + 2, file.length() - ".sql".length()));
                insert.executeUpdate();
            }
            connection.commit();
            Log.info("applied schema migration " + file);
        } catch (SQLException | IOException | RuntimeException e) {
            connection.rollback();
            throw e;
        }
    }

    private static boolean applied(Connection connection, int version) throws SQLException {
        try (PreparedStatement query = connection.prepareStatement(
                "SELECT 1 FROM mcp_schema_version WHERE version = ?")) {
            query.setInt(1, version);
            try (ResultSet rows = query.executeQuery()) {
                return rows.next();
            }
        }
    }

    private static String read(String file) throws IOException {
        try (InputStream in = SchemaMigrations.class.getResourceAsStream(RESOURCE_DIR + file)) {
            if (in == null) {
                throw new IOException("migration " + file + " is missing from the agent jar");
            }
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }
}
