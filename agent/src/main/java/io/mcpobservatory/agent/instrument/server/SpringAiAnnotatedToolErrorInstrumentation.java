package io.mcpobservatory.agent.instrument.server;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * The callbacks that run Spring AI's {@code @McpTool} methods ({@code AbstractMcpToolMethodCallback}: package
 * {@code org.springaicommunity.mcp.method.tool} on Spring AI 1.1, {@code org.springframework.ai.mcp.annotation.method.tool}
 * on 2.0) answer what a method throws with an {@code isError} result holding the message of its root cause, which they find
 * with {@code findCauseUsingPlainJava(Throwable)}, on their error path only. Its return value is that cause: its class
 * becomes the current tools/call span's {@code exception.type} (see {@code Bridge.toolErrorCause}), as
 * {@link SpringAiToolErrorInstrumentation} does for {@code @Tool} methods. The 1.1 package is not an MCP one to the class
 * watcher: it is instrumented only once the MCP runtime started.
 */
public final class SpringAiAnnotatedToolErrorInstrumentation implements McpInstrumentation {

    @Override
    public Types types() {
        return Types.named("org.springaicommunity.mcp.method.tool.AbstractMcpToolMethodCallback",
                "org.springframework.ai.mcp.annotation.method.tool.AbstractMcpToolMethodCallback");
    }

    @Override
    public Advice advice(SdkMethod method) {
        return method.named("findCauseUsingPlainJava") && method.arguments() == 1
                && "java.lang.Throwable".equals(method.argument(0))
                ? Advice.enter("currentSpan").exit("toolErrorCause")
                : null;
    }
}
