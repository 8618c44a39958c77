package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * The {@code traceparent} HTTP header, for requests whose {@code _meta} carries none: {@code doPost} of the SDK's servlet
 * transports (streamable, HTTP+SSE message endpoint, stateless), which handle the posted message on the calling thread.
 * The header is current for that call only (see {@code Bridge.enterHttp}).
 */
public final class HttpTraceHeaderInstrumentation implements McpInstrumentation {

    private static final String PACKAGE = "io.modelcontextprotocol.server.transport.";

    @Override
    public Types types() {
        return Types.named(PACKAGE + "HttpServletStreamableServerTransportProvider",
                PACKAGE + "HttpServletSseServerTransportProvider", PACKAGE + "HttpServletStatelessServerTransport");
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("doPost") && method.arguments() == 2
                ? Advice.enter("enterHttp", argument(0)).exit("exitHttp")
                : null;
    }
}
