package io.modelcontextprotocol.common;

/** Stand-in for the SDK's interface of the same name: what the bridge recognises its shared EMPTY instance by. */
public interface McpTransportContext {

    McpTransportContext EMPTY = new McpTransportContext() { };
}
