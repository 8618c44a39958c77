package io.mcpobservatory.agent.instrument.modern;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Every request of a modern server: the private {@code McpServer.handle(McpTransportContext, JSONRPCRequest, boolean
 * blocking)}, to which both ways in of {@code McpRequestManager} ({@code handle} and {@code handleBlocking}) and so both
 * SDK transports (servlet and stdio) delegate; {@code server/discover} included. It returns a
 * {@code Mono<McpTransportResponse>} that does the work and never fails (errors come back as responses): the span ends
 * with its response, or with the end of the event stream it answers with. (The manager's {@code handleNotification}
 * does nothing in 2.2: notifications are not recorded.)
 */
public final class ModernServerRequestInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(ModernTypes.SERVER);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("handle") && method.arguments() == 3
                && ModernTypes.TRANSPORT_CONTEXT.equals(method.argument(0))
                && ModernTypes.JSONRPC_REQUEST.equals(method.argument(1))
                ? Advice.enter("modernRequest", argument(0), argument(1)).exit("endModernRequest")
                : null;
    }
}
