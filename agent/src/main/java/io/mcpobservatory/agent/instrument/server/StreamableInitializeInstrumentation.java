package io.mcpobservatory.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.takesArguments;

import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.Types;
import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.SpanCallbacks;
import io.mcpobservatory.bootstrap.Span;
import io.modelcontextprotocol.spec.McpStreamableServerSession;
import net.bytebuddy.asm.Advice;
import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * {@code initialize} on streamable HTTP never reaches a session: the transport asks the session factory
 * ({@code DefaultMcpStreamableServerSessionFactory.startSession}) for a new session and an {@code initResult} Mono. The span
 * ends when that Mono gives the result; the session it created learns the client's name and version for later spans.
 * (The JSON-RPC id of this initialize is not visible here: the servlet keeps it.)
 */
public final class StreamableInitializeInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.below(SdkTypes.STREAMABLE_SESSION_FACTORY);
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return named("startSession").and(takesArguments(1));
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
        public static Span enter(@Advice.Argument(0) Object initializeRequest) {
            return Bridge.streamableInitialize(initializeRequest);
        }
    }

    public static final class Exit {
        private Exit() {
        }

        /** The result record is rebuilt around the same session with the init Mono wrapped: records cannot be changed. */
        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter Span span,
                                @Advice.Return(readOnly = false)
                                McpStreamableServerSession.McpStreamableServerSessionInit init,
                                @Advice.Thrown Throwable thrown) {
            if (span == null) {
                return;
            }
            if (thrown != null || init == null) {
                Bridge.failed(span, thrown);
                return;
            }
            Bridge.streamableSessionStarted(span, init.session());
            init = new McpStreamableServerSession.McpStreamableServerSessionInit(init.session(),
                    init.initResult()
                            .doOnSuccess(SpanCallbacks.onInitializeResult(span))
                            .doOnError(SpanCallbacks.onError(span))
                            .doOnCancel(SpanCallbacks.onCancel(span)));
        }
    }
}
