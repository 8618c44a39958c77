package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Requests a server sends its client ({@code sampling/createMessage}, {@code elicitation/create}, {@code roots/list}):
 * {@code sendRequest(String method, Object params, TypeRef)} of the classic session and of the streamable request
 * stream. Not of {@code McpStreamableServerSession} itself: its {@code sendRequest} defers to its listening stream's,
 * which is instrumented, so matching both would count such a request twice.
 */
public final class ServerToClientRequestInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.SERVER_SESSION, SdkTypes.STREAMABLE_STREAM);
    }

    /** The request carries the span's {@code traceparent} in {@code _meta}, as a client's requests do. */
    @Override
    public Advice advice(SdkMethod method) {
        return method.named("sendRequest") && method.arguments() == 3 && "java.lang.String".equals(method.argument(0))
                ? Advice.enter("serverToClientRequest", THIS, argument(0), argument(1)).rewriting(1, "propagate")
                        .endsWithMono()
                : null;
    }
}
