package io.mcpobservatory.benchmarks;

import java.util.List;
import java.util.Map;

/**
 * Stand-ins for the MCP SDK objects the bridge reads by accessor name (see {@code BridgeTest}): the bridge names no SDK
 * type, so records of the same shape take the same code path (reflection on record accessors, map lookups).
 */
public final class SdkShapes {

    private SdkShapes() {
    }

    /** {@code McpSchema.JSONRPCRequest}: params arrive as a Map after JSON deserialization. */
    public record Request(String jsonrpc, String method, Object id, Object params) {
    }

    /** {@code McpSchema.JSONRPCResponse.JSONRPCError}. */
    public record RpcError(int code, String message, Object data) {
    }

    /** {@code McpSchema.JSONRPCResponse}. */
    public record Response(String jsonrpc, Object id, Object result, RpcError error) {
    }

    /** {@code McpSchema.TextContent}. */
    public record TextContent(String type, String text) {
    }

    /** {@code McpSchema.CallToolResult}. */
    public record CallToolResult(List<Object> content, Boolean isError) {
    }

    /** {@code McpServerSession}: the bridge reads {@code getId()} once per session. */
    public static final class Session {
        private final String id;

        public Session(String id) {
            this.id = id;
        }

        public String getId() {
            return id;
        }
    }

    /** A session transport whose class name says stdio, as the SDK's {@code StdioServerTransportProvider}'s does. */
    public static final class StdioSessionTransport {
    }

    public static Request toolCall(Object id, String tool) {
        return new Request("2.0", "tools/call", id, Map.of("name", tool, "arguments", Map.of("city", "Lyon")));
    }

    public static Request initialize(Object id) {
        return new Request("2.0", "initialize", id, Map.of(
                "protocolVersion", "2025-06-18",
                "capabilities", Map.of(),
                "clientInfo", Map.of("name", "bench-client", "version", "1.4.2")));
    }

    public static Response toolResult(Object id) {
        return new Response("2.0", id,
                new CallToolResult(List.of(new TextContent("text", "Sunny, 21 C")), Boolean.FALSE), null);
    }

    public static Response initializeResult(Object id) {
        return new Response("2.0", id, Map.of("protocolVersion", "2025-06-18"), null);
    }
}
