package io.mcpobservatory.agent.instrument.server;

/** Names of the MCP SDK types we match on. Names, not classes: the agent never loads the SDK itself. */
final class SdkTypes {

    static final String SCHEMA = "io.modelcontextprotocol.spec.McpSchema";
    static final String JSONRPC_REQUEST = SCHEMA + "$JSONRPCRequest";
    static final String JSONRPC_NOTIFICATION = SCHEMA + "$JSONRPCNotification";
    static final String SERVER_SESSION = "io.modelcontextprotocol.spec.McpServerSession";
    static final String STREAMABLE_SESSION = "io.modelcontextprotocol.spec.McpStreamableServerSession";
    static final String STREAMABLE_STREAM = STREAMABLE_SESSION + "$McpStreamableServerSessionStream";
    static final String STREAMABLE_SESSION_FACTORY = STREAMABLE_SESSION + "$Factory";
    static final String STREAMABLE_TRANSPORT = "io.modelcontextprotocol.spec.McpStreamableServerTransport";
    static final String STATELESS_HANDLER = "io.modelcontextprotocol.server.McpStatelessServerHandler";

    private SdkTypes() {
    }
}
