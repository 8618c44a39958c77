package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Stateless HTTP: {@code McpStatelessServerHandler.handleRequest(McpTransportContext, JSONRPCRequest)} and
 * {@code handleNotification(McpTransportContext, JSONRPCNotification)} of every implementation.
 */
public final class StatelessMessageInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below(SdkTypes.STATELESS_HANDLER);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.arguments() == 2
                && (method.named("handleRequest") && SdkTypes.JSONRPC_REQUEST.equals(method.argument(1))
                || method.named("handleNotification") && SdkTypes.JSONRPC_NOTIFICATION.equals(method.argument(1)))
                ? Advice.enter("statelessMessage", argument(1)).endsWithMono()
                : null;
    }
}
