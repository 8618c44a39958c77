package io.mcpobservatory.agent.instrument.client;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.Types;
import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.Span;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

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
    public ElementMatcher<? super MethodDescription> method() {
        return named("sendRequest").and(takesArguments(3)).and(takesArgument(0, String.class));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Span enter(@Advice.This Object session,
                                         @Advice.Argument(0) String method,
                                         @Advice.Argument(value = 1, readOnly = false) Object params) {
            Span span = Bridge.clientRequest(session, method, params);
            params = Bridge.propagate(span, params);
            return span;
        }
    }
}
