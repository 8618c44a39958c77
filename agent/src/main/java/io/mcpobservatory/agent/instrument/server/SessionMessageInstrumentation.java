package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;
import static io.mcpobservatory.agent.instrument.Advice.field;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Requests and notifications of classic sessions (stdio and HTTP+SSE): {@code McpServerSession.handleIncomingRequest(
 * JSONRPCRequest[, McpTransportContext])} (one argument up to 0.11.2; from 0.11.3 a second, the transport context) and {@code handleIncomingNotification}.
 * The request path handles {@code initialize} too, and never fails: errors come back as responses whose {@code error} is
 * set.
 */
public final class SessionMessageInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.SERVER_SESSION);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("handleIncomingRequest") && SdkTypes.JSONRPC_REQUEST.equals(method.argument(0))
                || method.named("handleIncomingNotification") && SdkTypes.JSONRPC_NOTIFICATION.equals(method.argument(0))
                ? Advice.enter("sessionMessage", THIS, field("transport"), argument(0)).endsWithMono()
                : null;
    }
}
