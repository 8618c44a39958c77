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
    public ElementMatcher<? super MethodDescription> method() {
        return named("responseStream").and(takesArguments(2))
                .and(takesArgument(0, named(SdkTypes.JSONRPC_REQUEST)))
                .and(takesArgument(1, named(SdkTypes.STREAMABLE_TRANSPORT)));
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
                                         @Advice.Argument(0) Object request,
                                         @Advice.Argument(1) Object transport) {
            return Bridge.streamableRequest(session, null, transport, request);
        }
    }
}
