package io.mcpobservatory.agent.instrument.session;

import static io.mcpobservatory.agent.instrument.Advice.THIS;

import io.mcpobservatory.agent.instrument.Advice;
import io.mcpobservatory.agent.instrument.McpInstrumentation;
import io.mcpobservatory.agent.instrument.SdkMethod;
import io.mcpobservatory.agent.instrument.Types;

/**
 * Where MCP sessions end, for the session-duration metrics: {@code close()} and {@code closeGracefully()} of
 * {@code McpServerSession} (stdio: its transport closes it when stdin ends), {@code McpStreamableServerSession} (also
 * {@code delete()}, a client's HTTP DELETE) and {@code McpClientSession}, in every release. The session's end is
 * recorded on entry, once (the SDK may call more than one of them); a graceful close's own wait is not counted.
 * Sessions no transport closes (HTTP+SSE keeps its sessions until the server closes; a streamable client that goes away
 * without DELETE) end when the JVM exits.
 */
public final class SessionCloseInstrumentation implements McpInstrumentation {

    private static final String SERVER_SESSION = "io.modelcontextprotocol.spec.McpServerSession";
    private static final String STREAMABLE_SESSION = "io.modelcontextprotocol.spec.McpStreamableServerSession";
    private static final String CLIENT_SESSION = "io.modelcontextprotocol.spec.McpClientSession";

    @Override
    public Types types() {
        return Types.named(SERVER_SESSION, STREAMABLE_SESSION, CLIENT_SESSION);
    }

    @Override
    public Advice advice(SdkMethod method) {
        // delete() is the streamable session's alone
        boolean closing = method.named("close") || method.named("closeGracefully") || method.named("delete");
        return closing && method.arguments() == 0 && !method.isStatic()
                ? Advice.enter("sessionClosed", THIS)
                : null;
    }
}
