package io.mcpobservatory.it.app;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.stream.Collectors;

/**
 * A client for another MCP server (the observatory's own, in the query tests): calls the tools a file names, through the
 * SDK's sync client, and prints each answer as one line {@code RESULT <json>} on stdout, then {@code DONE}.
 *
 * <p>In the json-mapper adapter (SDK 0.13 and later): it reads and writes JSON with {@link Json}, which older releases
 * do not have.
 *
 * <p>{@code -Dit.calls=FILE}: one call a line, {@code tool<TAB>arguments as a JSON object}; the line {@code #tools}
 * lists the tools, {@code #read<TAB>uri} reads a resource. Each answer: {@code {"call": n, "tool": ..., "isError": ...,
 * "text": ..., "structured": ...}}, or {@code "jsonrpcError"} when the server answered with a JSON-RPC error.
 * Transports as {@link TestClient}'s ({@code stdio <command...>}, {@code streamable <base url>}).
 */
public final class ToolCaller {

    private static final PrintStream OUT = System.out;

    private ToolCaller() {
    }

    @SuppressWarnings("unchecked")
    public static void main(String[] args) throws Exception {
        List<String> calls = Files.readAllLines(Paths.get(System.getProperty("it.calls")), StandardCharsets.UTF_8);
        McpSyncClient client = McpClient.sync(TestClient.transport(args))
                .clientInfo(new McpSchema.Implementation("it-tool-caller", "1.0.0"))
                .requestTimeout(Duration.ofSeconds(60))
                .build();
        int rc = 0;
        try {
            client.initialize();
            int n = 0;
            for (String line : calls) {
                if (line.isBlank()) {
                    continue;
                }
                Map<String, Object> out = new LinkedHashMap<>();
                out.put("call", n++);
                String[] parts = line.split("\t", 2);
                out.put("tool", parts[0]);
                try {
                    if (parts[0].equals("#tools")) {
                        out.put("tools", client.listTools().tools().stream().map(McpSchema.Tool::name)
                                .collect(Collectors.toList()));
                    } else if (parts[0].equals("#read")) {
                        McpSchema.ReadResourceResult r = client.readResource(new McpSchema.ReadResourceRequest(parts[1]));
                        out.put("text", ((McpSchema.TextResourceContents) r.contents().get(0)).text());
                    } else {
                        Map<String, Object> arguments = parts.length < 2 ? Map.of()
                                : Json.mapper().readValue(parts[1], Map.class);
                        McpSchema.CallToolResult r = client.callTool(new McpSchema.CallToolRequest(parts[0], arguments));
                        out.put("isError", Boolean.TRUE.equals(r.isError()));
                        out.put("text", r.content().stream()
                                .map(c -> c instanceof McpSchema.TextContent ? ((McpSchema.TextContent) c).text() : "")
                                .collect(Collectors.joining("\n")));
                        out.put("structured", r.structuredContent());
                    }
                } catch (McpError e) {
                    out.put("jsonrpcError", String.valueOf(e.getMessage()));
                }
                OUT.println("RESULT " + Json.mapper().writeValueAsString(out));
            }
            OUT.println("DONE");
        } catch (Throwable t) {
            System.err.println("it-tool-caller: unexpected failure");
            t.printStackTrace();
            rc = 1;
        } finally {
            try {
                client.closeGracefully();
            } catch (RuntimeException ignored) {
                // exiting
            }
        }
        OUT.flush();
        System.exit(rc);
    }
}
