package io.mcpobservatory.it.app;

import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;

/**
 * Tools that handle personal data, added to a session server when {@code -Dit.server.privacy=true} (so the other tests'
 * tool catalog stays as it is): what content capture must mask.
 * <ul>
 *   <li>{@code profile}: takes a user's name, e-mail, card number, password and an API token, and answers with a text
 *   that repeats the e-mail, the card and the token (the arguments and the result both carry them);</li>
 *   <li>{@code profile_fail}: throws, quoting the e-mail in the exception's message (error messages are masked even
 *   when content capture is off).</li>
 * </ul>
 */
final class PrivacyTools {

    /** The values the tests look for: none may be stored, whatever the settings. */
    static final Map<String, Object> PROFILE = Map.of(
            "user", "ada",
            "email", "ada.lovelace@example.org",
            "card", "4111 1111 1111 1111",
            "password", "correct horse battery staple",
            "note", "call me with Bearer eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiJhZGEifQ.c2lnbmF0dXJlLXZhbHVl");

    private static final String SCHEMA = "{\"type\":\"object\",\"properties\":{\"user\":{\"type\":\"string\"},"
            + "\"email\":{\"type\":\"string\"},\"card\":{\"type\":\"string\"},\"password\":{\"type\":\"string\"},"
            + "\"note\":{\"type\":\"string\"}}}";

    private PrivacyTools() {
    }

    static void addTo(McpSyncServer server) {
        if (!Boolean.getBoolean("it.server.privacy")) {
            return;
        }
        server.addTool(McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool("profile", "Saves a user's profile"))
                .callHandler((exchange, request) -> CallToolResult.builder()
                        .addTextContent("saved the profile of " + request.arguments().get("user") + ": write to "
                                + request.arguments().get("email") + ", charge card " + request.arguments().get("card")
                                + ", " + request.arguments().get("note"))
                        .isError(false).build())
                .build());
        server.addTool(McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool("profile_fail", "Fails to save a user's profile"))
                .callHandler((exchange, request) -> {
                    // not instantly: see the throws tool of TestServer (SDK 2.1.0's servlet transports drop the
                    // connection when a sync handler throws before its task was fully scheduled)
                    try {
                        Thread.sleep(50);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    throw new IllegalArgumentException("no account for " + request.arguments().get("email"));
                })
                .build());
    }

    private static McpSchema.Tool tool(String name, String description) {
        return Sdk.tool(name, description, SCHEMA);
    }
}
