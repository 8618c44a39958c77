package io.mcpobservatory.export.postgres;

import java.util.UUID;

/** Where and as whom the PostgreSQL exporter writes, and who this agent is (its {@code mcp_agents} row). */
public final class PostgresTarget {

    public final String jdbcUrl;
    public final String user;
    /** Never logged; never part of {@link #toString()}. */
    final String password;
    public final boolean manageSchema;
    public final int retentionDays;
    public final UUID agentId;
    public final String service;
    public final long pid;
    public final String agentVersion;
    public final String jvmVersion;
    public final java.nio.file.Path spoolDir;
    /** 0 turns the spool off: batches of an outage are then dropped and counted. */
    public final long spoolMaxBytes;
    /** Pool size, and how many batches are written in parallel. */
    public final int connections;

    public PostgresTarget(String jdbcUrl, String user, String password, boolean manageSchema, int retentionDays,
                          UUID agentId, String service, long pid, String agentVersion, String jvmVersion,
                          java.nio.file.Path spoolDir, long spoolMaxBytes, int connections) {
        this.jdbcUrl = jdbcUrl;
        this.user = user;
        this.password = password;
        this.manageSchema = manageSchema;
        this.retentionDays = retentionDays;
        this.agentId = agentId;
        this.service = service;
        this.pid = pid;
        this.agentVersion = agentVersion;
        this.jvmVersion = jvmVersion;
        this.spoolDir = spoolDir;
        this.spoolMaxBytes = spoolMaxBytes;
        this.connections = Math.max(1, connections);
    }

    /** The URL without its query string, which may carry a password: what log lines show. */
    public String safeUrl() {
        int query = jdbcUrl.indexOf('?');
        return query < 0 ? jdbcUrl : jdbcUrl.substring(0, query) + "?...";
    }

    @Override
    public String toString() {
        return "postgres " + safeUrl();
    }
}
