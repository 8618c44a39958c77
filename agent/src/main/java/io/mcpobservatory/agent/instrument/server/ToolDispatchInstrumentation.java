package io.mcpobservatory.agent.instrument.server;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

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

    /** Both methods take the exchange; the dispatch's second argument is the params map, the callable's is not. */
    @Override
    public Advice advice(SdkMethod method) {
        if (method.name().startsWith("lambda$toolsCallRequestHandler$") && method.arguments() == 2
                && isExchange(method.argument(0))) {
            return Advice.enter("enterToolDispatch", argument(0), argument(1)).exit("exitTool");
        }
        if (method.name().startsWith("lambda$fromSync$") && method.arguments() == 3 && isExchange(method.argument(1))
                && method.returns().equals(CALL_TOOL_RESULT)) {
            return Advice.enter("enterTool", argument(1)).exit("exitTool");
        }
        return null;
    }

    private static boolean isExchange(String type) {
        return EXCHANGE.equals(type) || TRANSPORT_CONTEXT.equals(type) || TRANSPORT_CONTEXT_0_11.equals(type);
    }
}
