package io.mcpobservatory.it.app;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.common.McpTransportContext;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.util.Map;

/**
 * The calls of the test apps whose signatures differ between SDK releases, for 0.13 and later: transports and tool
 * schemas take the SDK's own {@code McpJsonMapper} ({@link Json}). The object-mapper adapter has the same methods for
 * 0.11 and 0.12 (a Jackson {@code ObjectMapper}).
 */
final class Sdk {

    private Sdk() {
    }

    static McpSchema.Tool tool(String name, String description, String inputSchema) {
        return McpSchema.Tool.builder().name(name).description(description).inputSchema(Json.mapper(), inputSchema)
                .build();
    }

    /** A JSON object read into a Map, with the JSON binding the SDK uses. */
    static Map<?, ?> readMap(String json) throws IOException {
        return Json.mapper().readValue(json, Map.class);
    }

    static StdioServerTransportProvider stdioServer(InputStream in, OutputStream out) {
        return new StdioServerTransportProvider(Json.mapper(), in, out);
    }

    static HttpServletSseServerTransportProvider sseServer(String sseEndpoint, String messageEndpoint) {
        return HttpServletSseServerTransportProvider.builder().jsonMapper(Json.mapper())
                .sseEndpoint(sseEndpoint).messageEndpoint(messageEndpoint).build();
    }

    static HttpServletStreamableServerTransportProvider streamableServer(String endpoint) {
        return HttpServletStreamableServerTransportProvider.builder().jsonMapper(Json.mapper()).mcpEndpoint(endpoint)
                .build();
    }

    /**
     * A context per request (the SDK's default shares one empty context, kept with
     * {@code -Dit.server.sharedContext=true}): the agent keys a stateless sync tool's span by its request's context.
     */
    static HttpServletStatelessServerTransport statelessServer(String endpoint) {
        HttpServletStatelessServerTransport.Builder builder = HttpServletStatelessServerTransport.builder()
                .jsonMapper(Json.mapper()).messageEndpoint(endpoint);
        if (!Boolean.getBoolean("it.server.sharedContext")) {
            builder.contextExtractor(request -> McpTransportContext.create(Map.of()));
        }
        return builder.build();
    }

    static StdioClientTransport stdioClient(ServerParameters params) {
        return new StdioClientTransport(params, Json.mapper());
    }

    /**
     * A builder of the SDK's Spring transports ({@link WebStack}), given the JSON mapper with {@code jsonMapper(...)}. By
     * reflection: not every release that uses this adapter published those transports, so it cannot name them.
     */
    static <B> B withJsonMapper(B builder) {
        try {
            builder.getClass().getMethod("jsonMapper", io.modelcontextprotocol.json.McpJsonMapper.class)
                    .invoke(builder, Json.mapper());
            return builder;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no jsonMapper(...) on " + builder.getClass().getName(), e);
        }
    }
}
