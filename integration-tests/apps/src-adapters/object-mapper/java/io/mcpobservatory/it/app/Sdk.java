package io.mcpobservatory.it.app;

import com.fasterxml.jackson.databind.ObjectMapper;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
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
 * The calls of the test apps whose signatures differ between SDK releases, for 0.11 and 0.12: transports take a Jackson
 * {@code ObjectMapper} and tool schemas are plain strings. The stateless transport keeps the SDK's default context
 * extractor: {@code McpTransportContext} moved package between 0.11 and 0.12, and only the tests of a stateless tool's
 * own outgoing requests (on 2.1.0) need a context per request.
 */
final class Sdk {

    private static final ObjectMapper MAPPER = new ObjectMapper();

    private Sdk() {
    }

    static McpSchema.Tool tool(String name, String description, String inputSchema) {
        return McpSchema.Tool.builder().name(name).description(description).inputSchema(inputSchema).build();
    }

    static Map<?, ?> readMap(String json) throws IOException {
        return MAPPER.readValue(json, Map.class);
    }

    static StdioServerTransportProvider stdioServer(InputStream in, OutputStream out) {
        return new StdioServerTransportProvider(MAPPER, in, out);
    }

    static HttpServletSseServerTransportProvider sseServer(String sseEndpoint, String messageEndpoint) {
        return HttpServletSseServerTransportProvider.builder().objectMapper(MAPPER)
                .sseEndpoint(sseEndpoint).messageEndpoint(messageEndpoint).build();
    }

    static HttpServletStreamableServerTransportProvider streamableServer(String endpoint) {
        return HttpServletStreamableServerTransportProvider.builder().objectMapper(MAPPER).mcpEndpoint(endpoint)
                .build();
    }

    static HttpServletStatelessServerTransport statelessServer(String endpoint) {
        return HttpServletStatelessServerTransport.builder().objectMapper(MAPPER).messageEndpoint(endpoint).build();
    }

    static StdioClientTransport stdioClient(ServerParameters params) {
        return new StdioClientTransport(params, MAPPER);
    }

    /**
     * A builder of the SDK's Spring transports ({@link WebStack}), given the JSON mapper with {@code objectMapper(...)}. By
     * reflection: not every release that uses this adapter published those transports, so it cannot name them.
     */
    static <B> B withJsonMapper(B builder) {
        try {
            builder.getClass().getMethod("objectMapper", ObjectMapper.class).invoke(builder, MAPPER);
            return builder;
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no objectMapper(...) on " + builder.getClass().getName(), e);
        }
    }
}
