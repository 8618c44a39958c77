package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * The {@code traceparent} HTTP header on Spring's MCP server transports (the SDK's {@code mcp-spring-webmvc} and
 * {@code mcp-spring-webflux} before 1.0, Spring AI's own from 2.0), for requests whose {@code _meta} carries none; how
 * each gets to the span is told in {@code CallerTrace}:
 * <ul>
 *   <li>WebMvc {@code handleMessage(ServerRequest)} (HTTP+SSE) and {@code handlePost(ServerRequest)} (streamable,
 *   stateless): blocking, they read the message on the calling thread; the header is current for the call, as in the
 *   SDK's servlets;</li>
 *   <li>WebFlux streamable: the same around its body callback {@code lambda$handlePost$N(ServerRequest, context, body)},
 *   the one frame that has both the request and the message;</li>
 *   <li>WebFlux HTTP+SSE and stateless, whose body callbacks are not given the request: the Mono their handler returns
 *   carries the header in its Reactor context;</li>
 *   <li>{@code McpSchema.deserializeJsonRpcMessage(mapper, text)}: a message read while a header is current keeps it, for
 *   streamable transports that handle the request after the reading frame.</li>
 * </ul>
 */
public final class SpringWebTraceHeaderInstrumentation implements McpInstrumentation {

    private static final String SDK_PACKAGE = "io.modelcontextprotocol.server.transport.";
    private static final String WEBMVC_PACKAGE = "org.springframework.ai.mcp.server.webmvc.transport.";
    private static final String WEBFLUX_PACKAGE = "org.springframework.ai.mcp.server.webflux.transport.";
    private static final String WEBMVC_REQUEST = "org.springframework.web.servlet.function.ServerRequest";
    private static final String WEBFLUX_REQUEST = "org.springframework.web.reactive.function.server.ServerRequest";
    private static final String WEBFLUX_STREAMABLE = "WebFluxStreamableServerTransportProvider";

    @Override
    public Types types() {
        return Types.named(SdkTypes.SCHEMA,
                SDK_PACKAGE + "WebMvcSseServerTransportProvider", SDK_PACKAGE + "WebMvcStreamableServerTransportProvider",
                SDK_PACKAGE + "WebMvcStatelessServerTransport",
                SDK_PACKAGE + "WebFluxSseServerTransportProvider", SDK_PACKAGE + WEBFLUX_STREAMABLE,
                SDK_PACKAGE + "WebFluxStatelessServerTransport",
                WEBMVC_PACKAGE + "WebMvcSseServerTransportProvider",
                WEBMVC_PACKAGE + "WebMvcStreamableServerTransportProvider",
                WEBMVC_PACKAGE + "WebMvcStatelessServerTransport",
                WEBFLUX_PACKAGE + "WebFluxSseServerTransportProvider", WEBFLUX_PACKAGE + WEBFLUX_STREAMABLE,
                WEBFLUX_PACKAGE + "WebFluxStatelessServerTransport");
    }

    @Override
    public Advice advice(SdkMethod method) {
        if (method.owner().equals(SdkTypes.SCHEMA)) {
            return method.named("deserializeJsonRpcMessage") && method.isStatic() && method.arguments() == 2
                    ? Advice.enter("currentHttpTraceParent").exit("messageRead")
                    : null;
        }
        boolean handler = (method.named("handleMessage") || method.named("handlePost")) && method.arguments() == 1;
        if (handler && WEBMVC_REQUEST.equals(method.argument(0))) {
            return Advice.enter("enterHttp", argument(0)).exit("exitHttp");
        }
        boolean streamable = method.owner().endsWith(WEBFLUX_STREAMABLE);
        if (handler && WEBFLUX_REQUEST.equals(method.argument(0)) && !streamable) {
            return Advice.enter("httpTraceParent", argument(0)).exit("withHttpTraceParent");
        }
        if (streamable && method.name().startsWith("lambda$handlePost$") && method.arguments() == 3
                && WEBFLUX_REQUEST.equals(method.argument(0)) && "java.lang.String".equals(method.argument(2))) {
            return Advice.enter("enterHttp", argument(0)).exit("exitHttp");
        }
        return null;
    }
}
