package io.mcpobservatory.it.app;

import io.modelcontextprotocol.server.transport.WebMvcSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.WebMvcStatelessServerTransport;
import io.modelcontextprotocol.server.transport.WebMvcStreamableServerTransportProvider;
import org.springframework.context.annotation.Configuration;
import org.springframework.web.context.support.AnnotationConfigWebApplicationContext;
import org.springframework.web.servlet.DispatcherServlet;
import org.springframework.web.servlet.config.annotation.EnableWebMvc;
import org.springframework.web.servlet.function.RouterFunction;
import org.springframework.web.servlet.function.ServerResponse;

/**
 * The SDK's WebMvc transports ({@code mcp-spring-webmvc}): their router function is a bean of a Spring MVC context
 * behind a {@code DispatcherServlet} in Tomcat, as in a WebMvc application; the same endpoints as the servlet modes
 * (SSE: GET /sse, POST /mcp/message; streamable and stateless: /mcp). The stateless transport keeps the SDK's default
 * context extractor (one shared empty context), as an application that does not set one has it.
 */
final class WebMvcStack implements WebStack {

    private RouterFunction<ServerResponse> routes;
    private TestServer.TomcatHost host;

    @Override
    public Object provider(String transport) {
        if (transport.equals("sse")) {
            WebMvcSseServerTransportProvider provider = Sdk.withJsonMapper(WebMvcSseServerTransportProvider.builder())
                    .sseEndpoint("/sse").messageEndpoint("/mcp/message").build();
            routes = provider.getRouterFunction();
            return provider;
        }
        if (transport.equals("stateless")) {
            WebMvcStatelessServerTransport stateless = Sdk.withJsonMapper(WebMvcStatelessServerTransport.builder())
                    .messageEndpoint("/mcp").build();
            routes = stateless.getRouterFunction();
            return stateless;
        }
        WebMvcStreamableServerTransportProvider provider = Sdk.withJsonMapper(
                WebMvcStreamableServerTransportProvider.builder()).mcpEndpoint("/mcp").build();
        routes = provider.getRouterFunction();
        return provider;
    }

    @Override
    public int listen(int port) throws Exception {
        AnnotationConfigWebApplicationContext context = new AnnotationConfigWebApplicationContext();
        context.register(Mvc.class);
        // Spring MVC's RouterFunctionMapping serves every RouterFunction bean
        context.addBeanFactoryPostProcessor(factory -> factory.registerSingleton("mcpRoutes", routes));
        host = TestServer.TomcatHost.start(new DispatcherServlet(context), port);
        return host.port();
    }

    @Override
    public void stop() {
        host.stop();
    }

    @Configuration
    @EnableWebMvc
    static class Mvc {
    }
}
