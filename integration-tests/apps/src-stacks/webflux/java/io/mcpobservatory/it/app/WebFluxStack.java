package io.mcpobservatory.it.app;

import io.modelcontextprotocol.server.transport.WebFluxSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.WebFluxStatelessServerTransport;
import io.modelcontextprotocol.server.transport.WebFluxStreamableServerTransportProvider;
import java.time.Duration;
import org.springframework.http.server.reactive.ReactorHttpHandlerAdapter;
import org.springframework.web.reactive.function.server.RouterFunction;
import org.springframework.web.reactive.function.server.RouterFunctions;
import reactor.netty.DisposableServer;
import reactor.netty.http.server.HttpServer;

/**
 * The SDK's WebFlux transports ({@code mcp-spring-webflux}), their router function served by Reactor Netty, as in a
 * WebFlux application; the same endpoints as the servlet modes (SSE: GET /sse, POST /mcp/message; streamable and
 * stateless: /mcp). The stateless transport keeps the SDK's default context extractor (one shared empty context), as
 * an application that does not set one has it.
 */
final class WebFluxStack implements WebStack {

    private RouterFunction<?> routes;
    private DisposableServer server;

    @Override
    public Object provider(String transport) {
        if (transport.equals("sse")) {
            WebFluxSseServerTransportProvider provider = Sdk.withJsonMapper(WebFluxSseServerTransportProvider.builder())
                    .sseEndpoint("/sse").messageEndpoint("/mcp/message").build();
            routes = provider.getRouterFunction();
            return provider;
        }
        if (transport.equals("stateless")) {
            WebFluxStatelessServerTransport stateless = Sdk.withJsonMapper(WebFluxStatelessServerTransport.builder())
                    .messageEndpoint("/mcp").build();
            routes = stateless.getRouterFunction();
            return stateless;
        }
        WebFluxStreamableServerTransportProvider provider = Sdk.withJsonMapper(
                WebFluxStreamableServerTransportProvider.builder()).messageEndpoint("/mcp").build();
        routes = provider.getRouterFunction();
        return provider;
    }

    @Override
    public int listen(int port) {
        ReactorHttpHandlerAdapter adapter = new ReactorHttpHandlerAdapter(RouterFunctions.toHttpHandler(routes));
        server = HttpServer.create().host("127.0.0.1").port(port).handle(adapter).bindNow();
        return server.port();
    }

    @Override
    public void stop() {
        server.disposeNow(Duration.ofSeconds(5));
    }
}
