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

    public PostgresTarget(String jdbcUrl, String user, String password, boolean manageSchema, int retentionDays,
                          UUID agentId, String service, long pid, String agentVersion, String jvmVersion) {
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
