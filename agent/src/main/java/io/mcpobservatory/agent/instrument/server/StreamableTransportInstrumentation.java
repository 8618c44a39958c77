package io.mcpobservatory.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.Types;
import io.mcpobservatory.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code McpStreamableServerTransport.sendMessage} of every implementation (the SDK's servlet transport, Spring AI's):
 * on streamable HTTP this is the only place a request's response, and so its error or {@code isError}, can be seen.
 */
public final class StreamableTransportInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below(SdkTypes.STREAMABLE_TRANSPORT);
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return named("sendMessage").and(not(isAbstract()));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    @Override
    public Class<?> exitAdvice() {
        return null;
    }

    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.This Object transport, @Advice.Argument(0) Object message) {
            Bridge.outgoingMessage(transport, message);
        }
    }
}
