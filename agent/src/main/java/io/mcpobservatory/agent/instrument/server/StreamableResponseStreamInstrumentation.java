package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Streamable HTTP requests: {@code McpStreamableServerSession.responseStream(request, transport)}, the way in for
 * every release whose request stream has no {@code handle(request)} (0.11 to 1.1.4, 2.0.x). Where the stream has one
 * (1.1.5, 2.1.0 and later), that is recorded instead ({@link StreamableStreamInstrumentation}) and the bridge skips this
 * point, so that no request is counted twice (MuzzleTest's table lists which release has which).
 */
public final class StreamableResponseStreamInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.STREAMABLE_SESSION);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("responseStream") && method.arguments() == 2
                && SdkTypes.JSONRPC_REQUEST.equals(method.argument(0))
                && SdkTypes.STREAMABLE_TRANSPORT.equals(method.argument(1))
                ? Advice.enter("streamableResponseStream", THIS, argument(0), argument(1)).endsWithMono()
                : null;
    }
}
