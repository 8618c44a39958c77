package io.modelcontextprotocol.spec;

/** Stand-in for the SDK's schema: a request record without a {@code meta} component, as logging/setLevel's is. */
public final class McpSchema {

    private McpSchema() {
    }

    public record SetLevelRequest(String level, String unset) { }
}
