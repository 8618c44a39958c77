package io.mcpobservatory.it.springclient;

import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import org.springframework.ai.tool.ToolCallback;
import org.springframework.ai.tool.ToolCallbackProvider;
import org.springframework.boot.ApplicationRunner;
import org.springframework.boot.SpringApplication;
import org.springframework.boot.autoconfigure.SpringBootApplication;
import org.springframework.context.annotation.Bean;

/**
 * An MCP client written the way Spring AI's documentation shows: the MCP client starter's auto-configuration connects
 * to the server named by Spring AI's own properties ({@code spring.ai.mcp.client.stdio|sse|streamable-http.connections.*},
 * given on the command line) and publishes the {@code McpSyncClient}s and a {@code ToolCallbackProvider} of their tools.
 * The runner calls the server a few times through both, prints one {@code STEP ...} line per call on stdout, then the
 * application exits (0 when every call answered as expected). Packaged as a Boot fat jar and started with
 * {@code java -javaagent:... -jar}, so the SDK is loaded by Boot's nested-jar class loader.
 */
@SpringBootApplication
public class WeatherClientApplication {

    public static void main(String[] args) {
        // the MCP clients are closed with the context; the exit code is the runner's
        System.exit(SpringApplication.exit(SpringApplication.run(WeatherClientApplication.class, args)));
    }

    @Bean
    ApplicationRunner calls(List<McpSyncClient> clients, ToolCallbackProvider tools) {
        return args -> {
            if (clients.size() != 1) {
                throw new IllegalStateException("one MCP connection expected, got " + clients.size());
            }
            McpSyncClient client = clients.get(0);
            System.out.println("STEP list tools=" + client.listTools().tools().size());
            CallToolResult direct = client.callTool(new CallToolRequest("fast", Map.of("text", "direct")));
            System.out.println("STEP call:fast isError=" + direct.isError() + " " + direct.content());
            // as a ChatClient would call them: through the tool callbacks (their names may carry a prefix)
            ToolCallback[] callbacks = tools.getToolCallbacks();
            System.out.println("STEP callbacks=" + callbacks.length);
            System.out.println("STEP callback:fast " + named(callbacks, "fast").call("{\"text\":\"callback\"}"));
            for (String failing : List.of("throws", "is_error")) {
                try {
                    System.out.println("STEP callback:" + failing + " answered " + named(callbacks, failing).call("{}"));
                } catch (RuntimeException e) {
                    // Spring AI turns a JSON-RPC error and an isError result into an exception
                    System.out.println("STEP callback:" + failing + " failed " + e.getClass().getSimpleName());
                }
            }
            System.out.println("DONE");
        };
    }

    private static ToolCallback named(ToolCallback[] callbacks, String tool) {
        return Arrays.stream(callbacks)
                .filter(c -> c.getToolDefinition().name().equals(tool)
                        || c.getToolDefinition().name().endsWith("_" + tool))
                .findFirst().orElseThrow(() -> new IllegalStateException("no tool callback for " + tool));
    }
}
