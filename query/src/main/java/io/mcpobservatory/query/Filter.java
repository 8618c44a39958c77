package io.mcpobservatory.query;

import java.util.List;
import java.util.Locale;

/**
 * What a query is narrowed to: a service, a tool, a JSON-RPC method, a client name, and the side that recorded the spans
 * (server, the default: what the MCP servers saw; client; or any). Each is compared for equality through a parameter.
 */
public final class Filter {

    public static final Filter NONE = new Filter(null, null, null, null, "server");

    public final String service;
    public final String tool;
    public final String method;
    public final String client;
    /** server, client or any. */
    public final String kind;

    public Filter(String service, String tool, String method, String client, String kind) {
        this.service = blankToNull(service);
        this.tool = blankToNull(tool);
        this.method = blankToNull(method);
        this.client = blankToNull(client);
        String k = blankToNull(kind) == null ? "server" : kind.trim().toLowerCase(Locale.ROOT);
        if (!List.of("server", "client", "any").contains(k)) {
            throw new QueryException("kind must be server, client or any, not '" + kind + "'");
        }
        this.kind = k;
        for (String v : new String[] {service, tool, method, client}) {
            if (v != null && v.length() > 500) {
                throw new QueryException("a filter value is longer than 500 characters");
            }
        }
    }

    public Filter withService(String s) {
        return new Filter(s, tool, method, client, kind);
    }

    private static String blankToNull(String s) {
        return s == null || s.isBlank() ? null : s.trim();
    }

    /** {@code AND ...} conditions for these filters, their values added to {@code params}. */
    String where(List<Object> params) {
        StringBuilder sql = new StringBuilder();
        if (!kind.equals("any")) {
            sql.append(" AND kind = ?");
            params.add(kind);
        }
        if (service != null) {
            sql.append(" AND service = ?");
            params.add(service);
        }
        if (tool != null) {
            sql.append(" AND tool_name = ?");
            params.add(tool);
        }
        if (method != null) {
            sql.append(" AND mcp_method = ?");
            params.add(method);
        }
        if (client != null) {
            sql.append(" AND client_name = ?");
            params.add(client);
        }
        return sql.toString();
    }

    @Override
    public String toString() {
        StringBuilder s = new StringBuilder(kind + " spans");
        if (service != null) {
            s.append(", service ").append(service);
        }
        if (tool != null) {
            s.append(", tool ").append(tool);
        }
        if (method != null) {
            s.append(", method ").append(method);
        }
        if (client != null) {
            s.append(", client ").append(client);
        }
        return s.toString();
    }
}
