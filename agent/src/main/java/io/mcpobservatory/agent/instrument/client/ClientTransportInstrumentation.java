package io.mcpobservatory.agent.instrument.client;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * {@code McpClientTransport.sendMessage(JSONRPCMessage)} of every client transport: the JSON-RPC id of a request is only
 * generated inside {@code McpClientSession.sendRequest}, after its span started, and is first visible here.
 */
public final class ClientTransportInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below("io.modelcontextprotocol.spec.McpClientTransport");
    }

    /** No span of its own: nothing to end. */
    @Override
    public Advice advice(SdkMethod method) {
        return method.named("sendMessage") && method.arguments() == 1
                ? Advice.enter("clientMessageSent", argument(0))
                : null;
    }
}
