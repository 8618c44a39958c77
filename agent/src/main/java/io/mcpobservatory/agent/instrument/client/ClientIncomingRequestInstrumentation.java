package io.mcpobservatory.agent.instrument.client;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.Types;
import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.Span;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
    public ElementMatcher<? super MethodDescription> method() {
        return named("handleIncomingRequest").and(takesArguments(1));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Span enter(@Advice.This Object session, @Advice.Argument(0) Object request) {
            return Bridge.clientIncomingRequest(session, request);
        }
    }
}
