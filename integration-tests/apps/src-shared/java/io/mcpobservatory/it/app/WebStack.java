package io.mcpobservatory.it.app;

import java.util.Map;

/**
 * A Spring web stack that the SDK's own Spring transports run on ({@code io.modelcontextprotocol.sdk:mcp-spring-webflux}
 * and {@code mcp-spring-webmvc}, published for 0.x releases only; Spring AI took them over after 0.18): it builds the
 * transport provider of a mode and serves its routes. The implementations ({@code apps/src-stacks/<stack>}) are compiled
 * only into the test apps of releases that published the stack's artifact (the {@code webflux-stack} and
 * {@code webmvc-stack} profiles of sdk-app-parent), so {@link TestServer} loads them by name.
 */
interface WebStack {

    /**
     * The transport provider of {@code "sse"} (an {@code McpServerTransportProvider}) or {@code "streamable"} (an
     * {@code McpStreamableServerTransportProvider}), or the transport of {@code "stateless"} (an
     * {@code McpStatelessServerTransport}).
     */
    Object provider(String transport);

    /** Serves the routes of the provider on 127.0.0.1 ({@code port} 0: any free port); returns the bound port. */
    int listen(int port) throws Exception;

    void stop();

    /** The stack named {@code webflux} or {@code webmvc}; fails when this release's test app has not got it. */
    static WebStack named(String stack) {
        String type = Map.of("webflux", "WebFluxStack", "webmvc", "WebMvcStack").getOrDefault(stack, stack);
        try {
            return (WebStack) Class.forName(WebStack.class.getPackageName() + "." + type).getDeclaredConstructor()
                    .newInstance();
        } catch (ClassNotFoundException e) {
            throw new IllegalStateException("no " + stack + " stack in this test app: this SDK release did not"
                    + " publish mcp-spring-" + stack, e);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException(e);
        }
    }
}
