package io.mcpobservatory.it.app;

import io.mcpobservatory.api.McpObservatory;
import io.modelcontextprotocol.client.McpAsyncClient;
import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Schedulers;

/**
 * Tools that call the fast tool of another MCP server ({@code -Dit.server.downstream=<base URL>}) from work they hand to
 * other threads, added to session servers that have a downstream: where the tool's span is not current on the thread
 * that sends the request, unless the agent carries it there. Each call connects a client of its own (initialize, the
 * call, close), all from that other thread.
 * <ul>
 *   <li>{@code relay_future}, a sync tool: a {@code CompletableFuture} on an executor of the application's, wrapped with
 *   {@code McpObservatory.wrap(Executor)};</li>
 *   <li>{@code relay_reactor}, an async tool: the SDK's async client composed into the tool's Mono, subscribed on
 *   {@code Schedulers.parallel()};</li>
 *   <li>{@code relay_reactor_blocking}, an async tool: a sync client's call in {@code Mono.fromCallable}, subscribed on
 *   {@code Schedulers.boundedElastic()};</li>
 *   <li>{@code relay_later}, a sync tool that answers at once and calls the other server after that, fire-and-forget
 *   ({@code McpObservatory.wrap(Runnable)} on an executor).</li>
 * </ul>
 * No tool here names the agent's span: whatever the wrappers get is the no-op without the agent.
 */
final class ThreadedRelayTools {

    private static final String NO_ARGUMENTS = "{\"type\":\"object\",\"properties\":{}}";
    /** The application's own threads (daemons: the server exits when it is told to). */
    private static final ExecutorService EXECUTOR = Executors.newFixedThreadPool(2, task -> {
        Thread thread = new Thread(task, "it-relay-worker");
        thread.setDaemon(true);
        return thread;
    });

    private ThreadedRelayTools() {
    }

    static void addTo(McpSyncServer server) {
        String downstream = System.getProperty("it.server.downstream");
        if (downstream == null) {
            return;
        }
        server.addTool(McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool("relay_future", "Calls the downstream server from a CompletableFuture"))
                .callHandler((exchange, request) -> text(CompletableFuture
                        .supplyAsync(() -> callSync(downstream, "future"), McpObservatory.wrap(EXECUTOR)).join()))
                .build());
        server.getAsyncServer().addTool(McpServerFeatures.AsyncToolSpecification.builder()
                .tool(tool("relay_reactor", "Calls the downstream server with the async client on another scheduler"))
                .callHandler((exchange, request) -> callAsync(downstream, "reactor")
                        .subscribeOn(Schedulers.parallel()).map(ThreadedRelayTools::text))
                .build()).block();
        server.getAsyncServer().addTool(McpServerFeatures.AsyncToolSpecification.builder()
                .tool(tool("relay_reactor_blocking", "Calls the downstream server with the sync client in a Mono"))
                .callHandler((exchange, request) -> Mono.fromCallable(() -> callSync(downstream, "blocking"))
                        .subscribeOn(Schedulers.boundedElastic()).map(ThreadedRelayTools::text))
                .build()).block();
        server.addTool(McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool("relay_later", "Answers at once, then calls the downstream server"))
                .callHandler((exchange, request) -> {
                    EXECUTOR.execute(McpObservatory.wrap(() -> {
                        callSync(downstream, "later");
                    }));
                    return text("scheduled");
                })
                .build());
    }

    /** Connects, calls the downstream fast tool with {@code text}, closes; returns the downstream's answer text. */
    private static String callSync(String baseUrl, String text) {
        McpSyncClient client = McpClient.sync(HttpClientStreamableHttpTransport.builder(baseUrl).endpoint("/mcp").build())
                .clientInfo(new McpSchema.Implementation("it-threaded-relay", TestServer.SERVER_VERSION))
                .build();
        try {
            client.initialize();
            return answer(client.callTool(new CallToolRequest("fast", Map.of("text", text))));
        } finally {
            client.closeGracefully();
        }
    }

    /** {@link #callSync} as one Mono of the async client: nothing is sent until it is subscribed. */
    private static Mono<String> callAsync(String baseUrl, String text) {
        return Mono.defer(() -> {
            McpAsyncClient client = McpClient.async(HttpClientStreamableHttpTransport.builder(baseUrl).endpoint("/mcp")
                            .build())
                    .clientInfo(new McpSchema.Implementation("it-threaded-relay", TestServer.SERVER_VERSION))
                    .build();
            return client.initialize()
                    .then(client.callTool(new CallToolRequest("fast", Map.of("text", text))))
                    .map(ThreadedRelayTools::answer)
                    .flatMap(answer -> client.closeGracefully().thenReturn(answer));
        });
    }

    private static String answer(CallToolResult result) {
        return ((McpSchema.TextContent) result.content().get(0)).text();
    }

    private static CallToolResult text(String text) {
        return CallToolResult.builder().addTextContent("relayed:" + text).isError(false).build();
    }

    private static McpSchema.Tool tool(String name, String description) {
        return Sdk.tool(name, description, NO_ARGUMENTS);
    }
}
