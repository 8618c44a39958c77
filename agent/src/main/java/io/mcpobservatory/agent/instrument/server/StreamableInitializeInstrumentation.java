package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * {@code initialize} on streamable HTTP never reaches a session: the transport asks the session factory
 * ({@code DefaultMcpStreamableServerSessionFactory.startSession}) for a new session and an {@code initResult} Mono. The span
 * ends when that Mono gives the result; the session it created learns the client's name and version for later spans.
 * (The JSON-RPC id of this initialize is not visible here: the servlet keeps it.)
 */
public final class StreamableInitializeInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below(SdkTypes.STREAMABLE_SESSION_FACTORY);
    }

    /** The result record is rebuilt around the same session with the init Mono wrapped: records cannot be changed. */
    @Override
    public Advice advice(SdkMethod method) {
        return method.named("startSession") && method.arguments() == 1
                ? Advice.enter("streamableInitialize", argument(0)).exit("endStreamableInitialize")
                : null;
    }
}
