package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * {@code McpStreamableServerTransport.sendMessage} of every implementation (the SDK's servlet transport, Spring AI's):
 * on streamable HTTP this is the only place a request's response, and so its error or {@code isError}, can be seen.
 */
public final class StreamableTransportInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below(SdkTypes.STREAMABLE_TRANSPORT);
    }

    /** Both overloads ({@code sendMessage(message)} and {@code sendMessage(message, messageId)}); no span of its own. */
    @Override
    public Advice advice(SdkMethod method) {
        return method.named("sendMessage") && method.arguments() >= 1
                ? Advice.enter("outgoingMessage", THIS, argument(0))
                : null;
    }
}
