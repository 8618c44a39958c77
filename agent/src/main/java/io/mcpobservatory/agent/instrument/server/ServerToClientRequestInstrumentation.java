package io.mcpobservatory.agent.instrument.server;

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

        /** The request carries the span's {@code traceparent} in {@code _meta}, as a client's requests do. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Span enter(@Advice.This Object session,
                                         @Advice.Argument(0) String method,
                                         @Advice.Argument(value = 1, readOnly = false) Object params) {
            Span span = Bridge.serverToClientRequest(session, method, params);
            params = Bridge.propagate(span, params);
            return span;
        }
    }
}
