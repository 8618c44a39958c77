package io.mcpobservatory.examples;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.Content;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.Implementation;
import io.modelcontextprotocol.spec.McpSchema.InitializeResult;
import io.modelcontextprotocol.spec.McpSchema.JSONRPCResponse.JSONRPCError;
import io.modelcontextprotocol.spec.McpSchema.ListToolsResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import io.modelcontextprotocol.spec.McpSchema.ResourceContents;
import io.modelcontextprotocol.spec.McpSchema.TextContent;
import io.modelcontextprotocol.spec.McpSchema.TextResourceContents;
import io.modelcontextprotocol.spec.McpSchema.Tool;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.function.Function;
import java.util.stream.Collectors;

/**
 * Drives {@link DemoServer} through a typical session over streamable HTTP and prints one line per call on stdout:
 * initialize, list tools, fast and slow tool calls, a tool that throws, a tool that answers {@code isError}, a call the
 * SDK rejects against the input schema, an unknown tool, a resource read and a prompt.
 *
 * <p>Usage: {@code java -cp mcp-demo.jar io.mcpobservatory.examples.DemoClient [baseUrl]} (default
 * {@code http://127.0.0.1:8765}; the endpoint is {@code /mcp}). Every failure is caught and printed, so the script always
 * runs to the end; the exit code is 1 only if the server could not be reached at all.
 */
public final class DemoClient {

    static final String DEFAULT_BASE_URL = "http://127.0.0.1:8765";

    private DemoClient() {
    }

    public static void main(String[] args) {
        String baseUrl = args.length > 0 ? stripTrailingSlash(args[0].trim()) : DEFAULT_BASE_URL;
        if (baseUrl.endsWith(DemoServer.ENDPOINT)) {
            baseUrl = baseUrl.substring(0, baseUrl.length() - DemoServer.ENDPOINT.length());
        }

        HttpClientStreamableHttpTransport transport = HttpClientStreamableHttpTransport.builder(baseUrl)
                .endpoint(DemoServer.ENDPOINT)
                .connectTimeout(Duration.ofSeconds(5))
                .build();
        McpSyncClient client = McpClient.sync(transport)
                .clientInfo(new Implementation("demo-client", "1.0.0"))
                .requestTimeout(Duration.ofSeconds(20))
                .initializationTimeout(Duration.ofSeconds(10))
                .build();

        System.out.println("DemoClient -> " + baseUrl + DemoServer.ENDPOINT);
        boolean connected = call("initialize", client::initialize, (InitializeResult r) ->
                "server " + r.serverInfo().name() + " " + r.serverInfo().version() + ", protocol " + r.protocolVersion());
        if (!connected) {
            closeQuietly(client);
            System.exit(1);
        }

        call("tools/list", client::listTools, (ListToolsResult r) -> r.tools().size() + " tools: "
                + r.tools().stream().map(Tool::name).collect(Collectors.joining(", ")));

        for (String city : List.of("Paris", "London", "Berlin", "Madrid", "Tokyo")) {
            callTool(client, "get_forecast", args("city", city));
        }
        callTool(client, "search_archive", args("query", "heatwave"));
        callTool(client, "search_archive", args("query", "london storm"));
        callTool(client, "flaky_lookup", args("station", "LFPG"));
        callTool(client, "book_flight", args("from", "London", "to", "Madrid"));
        callTool(client, "convert_temperature", args("celsius", "hot"));
        callTool(client, "get_tide_tables", args("port", "Brest"));

        call("resources/read weather://stations",
                () -> client.readResource(new ReadResourceRequest(DemoServer.STATIONS_URI)),
                (ReadResourceResult r) -> describeResource(r));
        call("prompts/get daily_briefing",
                () -> client.getPrompt(new GetPromptRequest("daily_briefing", Map.of("city", "Paris"))),
                (GetPromptResult r) -> r.messages().size() + " message(s): " + r.description());

        closeQuietly(client);
    }

    /** Calls one tool; the label shows name and arguments, the outcome line tells ok, isError and JSON-RPC errors apart. */
    private static void callTool(McpSyncClient client, String name, Map<String, Object> arguments) {
        call("tools/call " + name + " " + arguments,
                () -> client.callTool(new CallToolRequest(name, arguments)),
                (CallToolResult r) -> (Boolean.TRUE.equals(r.isError()) ? "isError=true: " : "ok: ") + firstText(r.content()));
    }

    /** Tool arguments in the order given, so that the printed labels are the same on every run. */
    private static Map<String, Object> args(String... keysAndValues) {
        Map<String, Object> arguments = new LinkedHashMap<>();
        for (int i = 0; i + 1 < keysAndValues.length; i += 2) {
            arguments.put(keysAndValues[i], keysAndValues[i + 1]);
        }
        return arguments;
    }

    private static <T> boolean call(String label, Callable<T> action, Function<T, String> describe) {
        long start = System.nanoTime();
        try {
            T result = action.call();
            System.out.printf("%-62s %5d ms  %s%n", label, elapsedMillis(start), oneLine(describe.apply(result)));
            return true;
        } catch (McpError e) {
            JSONRPCError error = e.getJsonRpcError();
            String what = error == null ? e.getMessage() : "JSON-RPC error " + error.code() + ": " + error.message();
            System.out.printf("%-62s %5d ms  %s%n", label, elapsedMillis(start), oneLine(what));
        } catch (Exception e) {
            System.out.printf("%-62s %5d ms  failed: %s%n", label, elapsedMillis(start),
                    oneLine(e.getClass().getSimpleName() + ": " + e.getMessage()));
        }
        return false;
    }

    private static String describeResource(ReadResourceResult result) {
        for (ResourceContents contents : result.contents()) {
            if (contents instanceof TextResourceContents text) {
                long lines = text.text().lines().count();
                return lines + " line(s) of " + text.mimeType() + ", first: " + text.text().lines().findFirst().orElse("");
            }
        }
        return result.contents().size() + " content item(s)";
    }

    private static String firstText(List<Content> content) {
        if (content == null || content.isEmpty()) {
            return "(no content)";
        }
        Content first = content.get(0);
        return first instanceof TextContent text ? text.text() : first.type();
    }

    private static String oneLine(String text) {
        String flat = text == null ? "" : text.replaceAll("\\s*\\R\\s*", " | ");
        return flat.length() > 170 ? flat.substring(0, 167) + "..." : flat;
    }

    private static long elapsedMillis(long startNanos) {
        return (System.nanoTime() - startNanos) / 1_000_000;
    }

    private static String stripTrailingSlash(String url) {
        return url.endsWith("/") ? url.substring(0, url.length() - 1) : url;
    }

    private static void closeQuietly(McpSyncClient client) {
        try {
            client.closeGracefully();
        } catch (RuntimeException ignored) {
            // the server may already be gone
        }
    }
}
