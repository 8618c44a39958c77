package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;
import static io.mcpobservatory.agent.instrument.Advice.field;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Streamable HTTP requests in the SDK releases whose request stream declares {@code handle(request)} (1.1.5, 2.1.0 and
 * later; not 1.0.0 to 1.1.4 nor 2.0.x, which {@link StreamableResponseStreamInstrumentation} covers): the servlet calls
 * {@code McpStreamableServerSessionStream.handle(request)}. Its Mono completes once the response has been written to the stream's transport, which is where
 * {@link StreamableTransportInstrumentation} reads the response.
 */
public final class StreamableStreamInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.STREAMABLE_STREAM);
    }

    /** {@code this$0} is the enclosing session (the stream is an inner class of it in every release that has it). */
    @Override
    public Advice advice(SdkMethod method) {
        return method.named("handle") && method.arguments() == 1 && SdkTypes.JSONRPC_REQUEST.equals(method.argument(0))
                ? Advice.enter("streamableStreamRequest", THIS, field("this$0"), argument(0)).endsWithMono()
                : null;
    }
}
