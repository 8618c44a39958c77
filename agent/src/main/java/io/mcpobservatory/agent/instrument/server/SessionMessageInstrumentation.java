package io.mcpobservatory.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArgument;

import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.Types;
import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.Span;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * Requests and notifications of classic sessions (stdio and HTTP+SSE): {@code McpServerSession.handleIncomingRequest(
 * JSONRPCRequest[, McpTransportContext])} (one argument up to 0.11.2; from 0.11.3 a second, the transport context) and {@code handleIncomingNotification}.
 * The request path handles {@code initialize} too, and never fails: errors come back as responses whose {@code error} is
 * set.
 */
public final class SessionMessageInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.SERVER_SESSION);
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return named("handleIncomingRequest").and(takesArgument(0, named(SdkTypes.JSONRPC_REQUEST)))
                .or(named("handleIncomingNotification").and(takesArgument(0, named(SdkTypes.JSONRPC_NOTIFICATION))));
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
                                         @Advice.FieldValue("transport") Object transport,
                                         @Advice.Argument(0) Object message) {
            return Bridge.sessionMessage(session, transport, message);
        }
    }
}
