package io.mcpobservatory.agent.instrument.client;

import static net.bytebuddy.matcher.ElementMatchers.isAbstract;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.not;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.Types;
import io.mcpobservatory.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code McpClientTransport.sendMessage(JSONRPCMessage)} of every client transport: the JSON-RPC id of a request is only
 * generated inside {@code McpClientSession.sendRequest}, after its span started, and is first visible here.
 */
public final class ClientTransportInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below("io.modelcontextprotocol.spec.McpClientTransport");
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return named("sendMessage").and(takesArguments(1)).and(not(isAbstract()));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    /** No span of its own: nothing to end. */
    @Override
    public Class<?> exitAdvice() {
        return null;
    }

    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static void enter(@Advice.Argument(0) Object message) {
            Bridge.clientMessageSent(message);
        }
    }
}
