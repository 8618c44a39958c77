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
 * Streamable HTTP requests in the SDK releases whose request stream declares {@code handle(request)} (1.1.5, 2.1.0 and
 * later; not 1.0.0 to 1.1.4 nor 2.0.x, which {@link StreamableResponseStreamInstrumentation} covers): the servlet calls
 * {@code McpStreamableServerSessionStream.handle(request)}. Its Mono completes once the response has been written to the stream's transport, which is where
 * {@link StreamableTransportInstrumentation} reads the response.
 */
public final class StreamableStreamInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named(SdkTypes.STREAMABLE_STREAM);
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return named("handle").and(takesArguments(1)).and(takesArgument(0, named(SdkTypes.JSONRPC_REQUEST)));
    }

    @Override
    public Class<?> enterAdvice() {
        return Enter.class;
    }

    public static final class Enter {
        private Enter() {
        }

        /** {@code this$0} is the enclosing session (the stream is an inner class of it in every release that has it). */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Span enter(@Advice.This Object stream,
                                         @Advice.FieldValue("this$0") Object session,
                                         @Advice.Argument(0) Object request) {
            return Bridge.streamableRequest(session, stream, null, request);
        }
    }
}
