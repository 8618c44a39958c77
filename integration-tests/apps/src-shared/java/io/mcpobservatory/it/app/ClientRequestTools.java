package io.mcpobservatory.it.app;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.McpSyncServerExchange;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * Tools that send their client a request of the server-to-client kinds other than sampling, added to session servers
 * with {@code -Dit.server.clientRequests=true} (the client must declare both capabilities: {@code TestClient} with
 * {@code -Dit.client.clientRequests=true}):
 * <ul>
 *   <li>{@code ask_user}: {@code elicitation/create}, asking for a city; answers {@code <action>:<city>};</li>
 *   <li>{@code list_roots}: {@code roots/list}; answers the roots' URIs.</li>
 * </ul>
 */
final class ClientRequestTools {

    private static final String NO_ARGUMENTS = "{\"type\":\"object\",\"properties\":{}}";
    static final Map<String, Object> CITY_SCHEMA = Map.of("type", "object",
            "properties", Map.of("city", Map.of("type", "string")), "required", java.util.List.of("city"));

    private ClientRequestTools() {
    }

    static void addTo(McpSyncServer server) {
        if (!Boolean.getBoolean("it.server.clientRequests")) {
            return;
        }
        server.addTool(McpServerFeatures.SyncToolSpecification.builder()
                .tool(Sdk.tool("ask_user", "Asks the user for a city (elicitation)", NO_ARGUMENTS))
                .callHandler((exchange, request) -> askUser(exchange))
                .build());
        server.addTool(McpServerFeatures.SyncToolSpecification.builder()
                .tool(Sdk.tool("list_roots", "Lists the client's roots", NO_ARGUMENTS))
                .callHandler((exchange, request) -> text(exchange.listRoots().roots().stream()
                        .map(McpSchema.Root::uri).collect(Collectors.joining(","))))
                .build());
    }

    private static CallToolResult askUser(McpSyncServerExchange exchange) {
        McpSchema.ElicitResult answer = exchange.createElicitation(elicitRequest("Which city?", CITY_SCHEMA));
        Object city = answer.content() == null ? null : answer.content().get("city");
        return text(answer.action() + ":" + city);
    }

    /**
     * The form request: the record {@code ElicitRequest(message, requestedSchema, meta)} up to 1.x, in 2.x the record
     * {@code ElicitFormRequest} of the same components (ElicitRequest became its interface). By its canonical
     * constructor, so that one source serves every release.
     */
    static McpSchema.ElicitRequest elicitRequest(String message, Map<String, Object> schema) {
        Class<?> type;
        try {
            type = Class.forName("io.modelcontextprotocol.spec.McpSchema$ElicitFormRequest");
        } catch (ClassNotFoundException e) {
            type = McpSchema.ElicitRequest.class;
        }
        try {
            return (McpSchema.ElicitRequest) type.getConstructor(String.class, Map.class, Map.class)
                    .newInstance(message, schema, null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no elicitation request in this SDK", e);
        }
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent(text).isError(false).build();
    }
}
