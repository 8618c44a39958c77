package io.mcpobservatory.agent.instrument.modern;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Where a modern sync client blocks on a request: {@code SyncClientRequester.await(Mono, McpTransportContext,
 * deadline)}, through which every call of {@code McpSyncClient} goes. The client's requests are sent later, from Reactor
 * threads (a tool call lists the tools first and sends the call when the list arrives), where the span current on the
 * calling thread is not: the Mono is given that span in its Reactor context, from which each request it sends takes its
 * parent when it has none ({@code ReactorTrace}). Without a current span the Mono is left as it is.
 */
public final class ModernSyncClientInstrumentation implements McpInstrumentation {

    private static final String SYNC_REQUESTER = ModernTypes.PACKAGE + "client.SyncClientRequester";

    @Override
    public Types types() {
        return Types.named(SYNC_REQUESTER);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("await") && method.arguments() == 3 && "reactor.core.publisher.Mono".equals(method.argument(0))
                ? Advice.enter("currentSpan").rewriting(0, "inReactorContext")
                : null;
    }
}
