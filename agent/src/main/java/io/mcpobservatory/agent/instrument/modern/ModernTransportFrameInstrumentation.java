package io.mcpobservatory.agent.instrument.modern;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * The frames in which the modern transports hand a request to the server, which tell a span its transport (the server
 * is given no transport object) and, on HTTP, the {@code traceparent} header for requests whose {@code _meta} has none:
 * <ul>
 *   <li>{@code HttpServletMcpTransport.doPost(request, response)}, which calls the manager and blocks on its answer;</li>
 *   <li>{@code StdioMcpTransport.lambda$dispatch$N(JSONRPCRequest)}, the body of the {@code Mono.defer} in which the
 *   stdio transport calls the manager (on a worker thread, when its dispatch subscribes).</li>
 * </ul>
 * The frame is set on entry and the previous one restored on exit (see {@code Bridge.enterModernHttp}).
 */
public final class ModernTransportFrameInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(ModernTypes.SERVLET_TRANSPORT, ModernTypes.STDIO_TRANSPORT);
    }

    @Override
    public Advice advice(SdkMethod method) {
        if (method.owner().equals(ModernTypes.SERVLET_TRANSPORT)) {
            return method.named("doPost") && method.arguments() == 2
                    ? Advice.enter("enterModernHttp", argument(0)).exit("exitModernFrame")
                    : null;
        }
        return method.name().startsWith("lambda$dispatch$") && method.arguments() == 1
                && ModernTypes.JSONRPC_REQUEST.equals(method.argument(0))
                ? Advice.enter("enterModernStdio", THIS).exit("exitModernFrame")
                : null;
    }
}
