package io.mcpobservatory.agent.instrument.modern;

import static io.mcpobservatory.agent.instrument.Advice.THIS;
import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Every request a modern client sends: {@code JsonRpcRequestSender.send(String method, String name, Map params, Map
 * meta, Map paramHeaders, ClientCapabilities, Duration, Function progress)}, under both the sync and the async client
 * (each round of a multi-round request is a request of its own). Its {@code meta} argument, the application's
 * {@code _meta} entries that the SDK merges into the request's when it builds it, is replaced by a copy carrying the
 * span's W3C {@code traceparent}, for the server to join. The returned Mono emits the result, or fails with the
 * server's error. ({@code listen}, the {@code subscriptions/listen} stream, is not recorded.) The request itself, with
 * its JSON-RPC id, is built when that Mono is subscribed, by {@code message(method, params, meta, capabilities,
 * progressToken, protocolVersion)} from the {@code meta} copy: its exit gives the span the id.
 */
public final class ModernClientRequestInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(ModernTypes.REQUEST_SENDER);
    }

    @Override
    public Advice advice(SdkMethod method) {
        if (method.named("send") && method.arguments() == 8 && "java.lang.String".equals(method.argument(0))
                && "java.util.Map".equals(method.argument(3))) {
            return Advice.enter("modernClientRequest", THIS, argument(0), argument(2)).rewriting(3, "propagateMeta")
                    .endsWithMono();
        }
        if (method.named("message") && method.arguments() == 6 && "java.util.Map".equals(method.argument(2))
                && method.returns().endsWith("JsonRpc$JSONRPCRequest")) {
            return Advice.enter("modernRequestBuilding", argument(2)).exit("modernRequestBuilt");
        }
        return null;
    }
}
