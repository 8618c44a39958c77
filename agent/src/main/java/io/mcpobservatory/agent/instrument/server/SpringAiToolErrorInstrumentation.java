package io.mcpobservatory.agent.instrument.server;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Spring AI's {@code MethodToolCallback.call(String input, ToolContext context)}, which runs a {@code @Tool} method:
 * Spring AI's MCP server catches what it throws and answers an {@code isError} result with the message only, so the
 * exception's class is taken here, on its way out, for the current tools/call span (see
 * {@code Bridge.toolCallbackReturned}). {@code call(String)} delegates to this one and is left alone. The class is not an
 * MCP one: the class watcher instruments it only once the MCP runtime started.
 */
public final class SpringAiToolErrorInstrumentation implements McpInstrumentation {

    private static final String METHOD_TOOL_CALLBACK = "org.springframework.ai.tool.method.MethodToolCallback";

    @Override
    public Types types() {
        return Types.named(METHOD_TOOL_CALLBACK);
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("call") && method.arguments() == 2 && "java.lang.String".equals(method.argument(0))
                ? Advice.enter("currentSpan").exit("toolCallbackReturned")
                : null;
    }
}
