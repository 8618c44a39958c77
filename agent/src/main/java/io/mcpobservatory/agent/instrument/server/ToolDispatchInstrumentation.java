package io.mcpobservatory.agent.instrument.server;

import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.named;
import static net.bytebuddy.matcher.ElementMatchers.returns;
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
 * The frames in which the SDK runs a tool's code, so that requests the tool sends (to another MCP server, or sampling
 * through its own client) join the tool call's trace as its children:
 * <ul>
 *   <li>{@code McpAsyncServer.lambda$toolsCallRequestHandler$N(McpAsyncServerExchange, Object params)}, the tools/call
 *   dispatch (N differs by release): it links the exchange to the request's span, and calls an async tool's handler;</li>
 *   <li>{@code McpServerFeatures$AsyncToolSpecification.lambda$fromSync$N(SyncToolSpecification, McpAsyncServerExchange,
 *   request)}, the callable that runs a sync tool's handler on its worker thread.</li>
 * </ul>
 * and the same two frames of stateless servers ({@code McpStatelessAsyncServer}, {@code McpStatelessServerFeatures}), with
 * the request's {@code McpTransportContext} in the exchange's place. The span is made current on entry and the previous
 * one restored on exit (see {@code Bridge.enterTool}).
 */
public final class ToolDispatchInstrumentation implements McpInstrumentation {

    private static final String ASYNC_SERVER = "io.modelcontextprotocol.server.McpAsyncServer";
    private static final String TOOL_SPEC = "io.modelcontextprotocol.server.McpServerFeatures$AsyncToolSpecification";
    private static final String EXCHANGE = "io.modelcontextprotocol.server.McpAsyncServerExchange";
    // stateless servers: the same two frames, with the request's transport context where the others have the exchange
    private static final String STATELESS_SERVER = "io.modelcontextprotocol.server.McpStatelessAsyncServer";
    private static final String STATELESS_TOOL_SPEC =
            "io.modelcontextprotocol.server.McpStatelessServerFeatures$AsyncToolSpecification";
    private static final String TRANSPORT_CONTEXT = "io.modelcontextprotocol.common.McpTransportContext";
    /** Where McpTransportContext lived in 0.11.x. */
    private static final String TRANSPORT_CONTEXT_0_11 = "io.modelcontextprotocol.server.McpTransportContext";
    private static final String CALL_TOOL_RESULT = SdkTypes.SCHEMA + "$CallToolResult";

    @Override
    public Types types() {
        return Types.named(ASYNC_SERVER, TOOL_SPEC, STATELESS_SERVER, STATELESS_TOOL_SPEC);
    }

    @Override
    public ElementMatcher<? super MethodDescription> method() {
        return nameStartsWith("lambda$toolsCallRequestHandler$").and(takesArguments(2))
                .and(takesArgument(0, named(EXCHANGE).or(named(TRANSPORT_CONTEXT)).or(named(TRANSPORT_CONTEXT_0_11))))
                .or(nameStartsWith("lambda$fromSync$").and(takesArguments(3))
                        .and(takesArgument(1, named(EXCHANGE).or(named(TRANSPORT_CONTEXT)).or(named(TRANSPORT_CONTEXT_0_11))))
                        .and(returns(named(CALL_TOOL_RESULT))));
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

        /** Both methods take the exchange; the dispatch's second argument is the params map, the callable's is not. */
        @Advice.OnMethodEnter(suppress = Throwable.class)
        public static Span enter(@Advice.Origin("#m") String name, @Advice.AllArguments Object[] arguments) {
            return name.startsWith("lambda$toolsCallRequestHandler$")
                    ? Bridge.enterToolDispatch(arguments[0], arguments[1])
                    : Bridge.enterTool(arguments[1]);
        }
    }

    public static final class Exit {
        private Exit() {
        }

        @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
        public static void exit(@Advice.Enter Span previous) {
            Bridge.exitTool(previous);
        }
    }
}
