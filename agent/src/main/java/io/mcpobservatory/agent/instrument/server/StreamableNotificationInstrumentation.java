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

/** Notifications on streamable HTTP: {@code McpStreamableServerSession.accept(JSONRPCNotification)}. */
public final class StreamableNotificationInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.STREAMABLE_SESSION);
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return named("accept").and(takesArguments(1)).and(takesArgument(0, named(SdkTypes.JSONRPC_NOTIFICATION)));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Span enter(@Advice.This Object session, @Advice.Argument(0) Object notification) {
            return Bridge.streamableNotification(session, notification);
        }
    }
}
