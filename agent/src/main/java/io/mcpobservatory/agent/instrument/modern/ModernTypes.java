package io.mcpobservatory.agent.instrument.modern;

/**
 * Names of the types of SDK 2.2's modern API ({@code io.modelcontextprotocol.modern}, protocol revision 2026-07-28), a
 * second API beside the classic one that shares none of its session, transport or client classes.
 */
final class ModernTypes {

    static final String PACKAGE = "io.modelcontextprotocol.modern.";
    static final String JSONRPC_REQUEST = PACKAGE + "JsonRpc$JSONRPCRequest";
    static final String SERVER = PACKAGE + "server.McpServer";
    static final String TRANSPORT_CONTEXT = "io.modelcontextprotocol.common.McpTransportContext";
    static final String SERVLET_TRANSPORT = PACKAGE + "server.transport.HttpServletMcpTransport";
    static final String STDIO_TRANSPORT = PACKAGE + "server.transport.StdioMcpTransport";
    static final String REQUEST_SENDER = PACKAGE + "client.JsonRpcRequestSender";

    private ModernTypes() {
    }
}
