package io.mcpobservatory.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.Types;
import io.mcpobservatory.bootstrap.Bridge;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * The {@code traceparent} HTTP header, for requests whose {@code _meta} carries none: {@code doPost} of the SDK's servlet
 * transports (streamable, HTTP+SSE message endpoint, stateless), which handle the posted message on the calling thread.
 * The header is current for that call only (see {@code Bridge.enterHttp}).
 */
public final class HttpTraceHeaderInstrumentation implements McpInstrumentation {

    private static final String PACKAGE = "io.modelcontextprotocol.server.transport.";

    @Override
    public Types types() {
        return Types.named(PACKAGE + "HttpServletStreamableServerTransportProvider",
                PACKAGE + "HttpServletSseServerTransportProvider", PACKAGE + "HttpServletStatelessServerTransport");
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return named("doPost").and(takesArguments(2));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    @Override
    public Class<?> exitAdvice() {
        return Exit.class;
    }

    public static final class Enter {
        private Enter() {
        }

        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Object enter(@Advice.Argument(0) Object request) {
            return Bridge.enterHttp(request);
        }
    }

    public static final class Exit {
        private Exit() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter Object previous) {
            Bridge.exitHttp(previous);
        }
    }
}
