package io.mcpobservatory.agent.instrument.client;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Every request an SDK client sends: {@code McpClientSession.sendRequest(String method, Object params, TypeRef)}, under
 * both the sync client (a {@code block()} over the async one) and the async client, so one span per request. The params
 * sent are replaced by a copy carrying the span's W3C {@code traceparent} in {@code _meta}, for the server to join.
 */
public final class ClientRequestInstrumentation implements McpInstrumentation {

    static final String CLIENT_SESSION = "io.modelcontextprotocol.spec.McpClientSession";

    @Override
    public Types types() {
        return Types.named(CLIENT_SESSION);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("sendRequest") && method.arguments() == 3 && "java.lang.String".equals(method.argument(0))
                ? Advice.enter("clientRequest", THIS, argument(0), argument(1)).rewriting(1, "propagate").endsWithMono()
                : null;
    }
}
