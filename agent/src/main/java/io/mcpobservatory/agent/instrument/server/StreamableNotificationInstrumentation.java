package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/** Notifications on streamable HTTP: {@code McpStreamableServerSession.accept(JSONRPCNotification)}. */
public final class StreamableNotificationInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.STREAMABLE_SESSION);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("accept") && method.arguments() == 1
                && SdkTypes.JSONRPC_NOTIFICATION.equals(method.argument(0))
                ? Advice.enter("streamableNotification", THIS, argument(0)).endsWithMono()
                : null;
    }
}
