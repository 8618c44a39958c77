package io.mcpobservatory.agent.instrument.client;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Requests a server sends to a client ({@code sampling/createMessage}, {@code elicitation/create}, {@code roots/list}),
 * handled in {@code McpClientSession.handleIncomingRequest(JSONRPCRequest)}: a span of kind server on the client, in the
 * trace of the server's request (its {@code traceparent} in {@code _meta}), ended when the returned Mono answers.
 */
public final class ClientIncomingRequestInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(ClientRequestInstrumentation.CLIENT_SESSION);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("handleIncomingRequest") && method.arguments() == 1
                ? Advice.enter("clientIncomingRequest", THIS, argument(0)).endsWithMono()
                : null;
    }
}
