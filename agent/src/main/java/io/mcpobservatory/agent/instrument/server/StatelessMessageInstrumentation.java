package io.mcpobservatory.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
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
 * Stateless HTTP: {@code McpStatelessServerHandler.handleRequest(McpTransportContext, JSONRPCRequest)} and
 * {@code handleNotification(McpTransportContext, JSONRPCNotification)} of every implementation.
 */
public final class StatelessMessageInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below(SdkTypes.STATELESS_HANDLER);
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return not(isAbstract()).and(takesArguments(2)).and(
                named("handleRequest").and(takesArgument(1, named(SdkTypes.JSONRPC_REQUEST)))
                        .or(named("handleNotification").and(takesArgument(1, named(SdkTypes.JSONRPC_NOTIFICATION)))));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Span enter(@Advice.Argument(1) Object message) {
            return Bridge.statelessMessage(message);
        }
    }
}
