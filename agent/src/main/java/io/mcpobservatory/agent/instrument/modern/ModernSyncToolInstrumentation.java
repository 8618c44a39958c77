package io.mcpobservatory.agent.instrument.modern;

import static io.mcpobservatory.agent.instrument.Advice.argument;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * The frame in which a modern server runs a sync tool's handler: {@code ToolsFeature.lambda$adapt$N(McpSyncTool,
 * McpRequestContext, CallToolRequest)}, the callable its sync adapter hands to Reactor. A blocking request (the servlet
 * transport's {@code handleBlocking}) runs it on the request thread as the request's Mono is subscribed, where no
 * scheduler's hook makes the call's span current: the span is made current around it (found by the request's transport
 * context, see {@code Bridge.enterModernTool}) and the previous one restored after, so that requests the tool sends to
 * other MCP servers are its children.
 */
public final class ModernSyncToolInstrumentation implements McpInstrumentation {

    private static final String TOOLS_FEATURE = ModernTypes.PACKAGE + "server.feature.ToolsFeature";
    private static final String SYNC_TOOL = ModernTypes.PACKAGE + "server.feature.McpSyncTool";
    private static final String REQUEST_CONTEXT = ModernTypes.PACKAGE + "server.McpRequestContext";

    @Override
    public Types types() {
        return Types.named(TOOLS_FEATURE);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.name().startsWith("lambda$adapt$") && method.arguments() == 3
                && SYNC_TOOL.equals(method.argument(0)) && REQUEST_CONTEXT.equals(method.argument(1))
                && method.returns().endsWith(".McpSyncResponse")
                ? Advice.enter("enterModernTool", argument(1)).exit("exitTool")
                : null;
    }
}
