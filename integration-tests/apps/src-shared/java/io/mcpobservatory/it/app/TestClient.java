package io.mcpobservatory.it.app;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.client.transport.HttpClientSseClientTransport;
import io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport;
import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.client.transport.StdioClientTransport;
import io.modelcontextprotocol.spec.McpClientTransport;
import io.modelcontextprotocol.spec.McpError;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;

import java.io.PrintStream;
import java.net.http.HttpRequest;
import java.time.Duration;
import java.util.Arrays;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.stream.Collectors;

/**
 * MCP client used by the integration tests: drives one {@link TestServer} through the SDK's own sync client and runs a
 * fixed scenario. Every step prints exactly one line to stdout,
 * {@code STEP <name> OK <detail>} or {@code STEP <name> ERROR <exception class>: <message>}, then {@code DONE}.
 * Step names: initialize, tools/list, call:fast, call:slow, call:throws, call:is_error, call:no_such_tool,
 * call:add_invalid, call:add_valid, resources/read, prompts/get, ping, close. Exit code 0 when the scenario ran to its
 * end, whatever the steps returned; 1 on an unexpected crash; 2 on bad arguments.
 *
 * <pre>
 * TestClient stdio &lt;server command line...&gt;   e.g. stdio java -cp ... io.mcpobservatory.it.app.TestServer stdio
 * TestClient sse        http://127.0.0.1:PORT     HTTP+SSE, GET /sse
 * TestClient streamable http://127.0.0.1:PORT     streamable HTTP, /mcp
 * TestClient stateless  http://127.0.0.1:PORT     same client transport as streamable, for a stateless server
 * </pre>
 */
public final class TestClient {

    static final String CLIENT_NAME = "it-client";
    static final String CLIENT_VERSION = "2.0.0";
    /** What the sampling handler answers, as if from a model: fixed, so tests can count its tokens. */
    public static final String SAMPLING_MODEL = "claude-sonnet-4-5-20250929";
    public static final String SAMPLING_ANSWER = "Light rain in the morning, then sunny and 21 degrees.";
    /** Characters of the big tool result the extra steps ask for. */
    public static final int BIG_CHARS = 5_000_000;
    /** The W3C example traceparent, sent in _meta by the extra step call:add_traceparent_valid. */
    /** The one root the client lists with {@code -Dit.client.clientRequests=true}. */
    public static final String ROOT_URI = "file:///work/it-root";
    public static final String VALID_TRACEPARENT = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";

    private static final PrintStream OUT = System.out;
    /** Transport errors can carry a whole serialized exception; keep lines short. */
    private static final int MAX_MESSAGE = 300;

    private TestClient() {
    }

    public static void main(String[] args) {
        if (args.length < 2) {
            System.err.println("usage: TestClient stdio <server command...> | TestClient (sse|streamable|stateless) <base url>");
            System.exit(2);
        }
        int rc;
        try {
            run(args);
            rc = 0;
        } catch (Throwable t) {
            System.err.println("it-client: unexpected failure");
            t.printStackTrace();
            rc = 1;
        }
        OUT.flush();
        System.exit(rc); // do not wait for transport threads
    }

    static McpClientTransport transport(String[] args) {
        switch (args[0]) {
            case "stdio": {
                ServerParameters params = ServerParameters.builder(args[1])
                        .args(Arrays.asList(args).subList(2, args.length))
                        .env(System.getenv())
                        .build();
                StdioClientTransport transport = Sdk.stdioClient(params);
                transport.setStdErrorHandler(line -> System.err.println("[server stderr] " + line));
                return transport;
            }
            case "sse":
                return HttpClientSseClientTransport.builder(args[1]).sseEndpoint("/sse")
                        .requestBuilder(httpRequests()).build();
            case "streamable":
            case "stateless":
                return HttpClientStreamableHttpTransport.builder(args[1]).endpoint("/mcp")
                        .requestBuilder(httpRequests()).build();
            default:
                throw new IllegalArgumentException("unknown transport: " + args[0]);
        }
    }

    /**
     * What every HTTP request of the transport starts from: with {@code -Dit.client.traceparentHeader=<value>}, that
     * {@code traceparent} HTTP header (and no {@code _meta.traceparent}, the client being untraced), as a gateway may send.
     */
    private static HttpRequest.Builder httpRequests() {
        HttpRequest.Builder builder = HttpRequest.newBuilder();
        String traceparent = System.getProperty("it.client.traceparentHeader");
        return traceparent == null ? builder : builder.header("traceparent", traceparent);
    }

    private static void run(String[] args) {
        // -Dit.client.extra=true: the client can sample (answers with SAMPLING_MODEL) and the scenario ends with the
        // steps call:ask_model (sampling/createMessage from the server) and call:big (a BIG_CHARS tool result)
        boolean extra = Boolean.getBoolean("it.client.extra");
        McpClient.SyncSpec spec = McpClient.sync(transport(args))
                .clientInfo(new McpSchema.Implementation(CLIENT_NAME, CLIENT_VERSION))
                .requestTimeout(Duration.ofSeconds(30));
        if (extra) {
            spec.capabilities(McpSchema.ClientCapabilities.builder().sampling().build())
                    .sampling(request -> new McpSchema.CreateMessageResult(McpSchema.Role.ASSISTANT,
                            new McpSchema.TextContent(SAMPLING_ANSWER), SAMPLING_MODEL,
                            McpSchema.CreateMessageResult.StopReason.END_TURN));
        }
        // -Dit.client.clientRequests=true: the client answers elicitation (city Paris) and lists a root, and calls the
        // tools of ClientRequestTools, which ask it (steps call:ask_user, call:list_roots)
        boolean clientRequests = Boolean.getBoolean("it.client.clientRequests");
        if (clientRequests) {
            McpSchema.ClientCapabilities.Builder capabilities = McpSchema.ClientCapabilities.builder().elicitation()
                    .roots(false);
            if (extra) {
                capabilities.sampling();
            }
            spec.capabilities(capabilities.build())
                    .roots(List.of(new McpSchema.Root(ROOT_URI, "it")))
                    .elicitation(request -> new McpSchema.ElicitResult(McpSchema.ElicitResult.Action.ACCEPT,
                            Map.of("city", "Paris")));
        }
        McpSyncClient client = spec.build();

        step("initialize", () -> {
            McpSchema.InitializeResult r = client.initialize();
            return "protocol=" + r.protocolVersion() + " server=" + r.serverInfo().name() + "/" + r.serverInfo().version();
        });
        step("tools/list", () -> {
            List<McpSchema.Tool> tools = client.listTools().tools();
            return tools.size() + " tools " + tools.stream().map(McpSchema.Tool::name).sorted()
                    .collect(Collectors.joining(",", "[", "]"));
        });
        step("call:fast", () -> describe(call(client, "fast", Map.of("text", "hi"))));
        step("call:slow", () -> describe(call(client, "slow", Map.of())));
        step("call:throws", () -> describe(call(client, "throws", Map.of())));
        step("call:is_error", () -> describe(call(client, "is_error", Map.of())));
        step("call:no_such_tool", () -> describe(call(client, "no_such_tool", Map.of())));
        step("call:add_invalid", () -> describe(call(client, "add", Map.of("a", "x"))));
        step("call:add_valid", () -> describe(call(client, "add", Map.of("a", 1, "b", 2))));
        step("resources/read", () -> {
            McpSchema.ReadResourceResult r = client.readResource(new McpSchema.ReadResourceRequest(TestServer.RESOURCE_URI));
            return r.contents().stream().map(c -> c instanceof McpSchema.TextResourceContents
                    ? c.uri() + " " + c.mimeType() + " text=" + ((McpSchema.TextResourceContents) c).text()
                    : c.uri() + " " + c.getClass().getSimpleName()).collect(Collectors.joining(" | "));
        });
        step("prompts/get", () -> {
            McpSchema.GetPromptResult r = client.getPrompt(new McpSchema.GetPromptRequest("greeting", Map.of("name", "Ada")));
            return r.messages().stream().map(m -> m.role() + ":" + text(m.content()))
                    .collect(Collectors.joining(" | "));
        });
        step("ping", () -> {
            client.ping();
            return "pong";
        });
        if (Boolean.getBoolean("it.client.enrichment")) { // tools that call the enrichment API (EnrichedTools)
            step("call:enriched", () -> describe(call(client, "enriched", Map.of())));
            step("call:enriched_async", () -> describe(call(client, "enriched_async", Map.of())));
        }
        if (Boolean.getBoolean("it.client.relay")) { // a chain: the server's relay tool calls another server
            step("call:relay", () -> describe(call(client, "relay", Map.of())));
        }
        if (Boolean.getBoolean("it.client.threadedRelay")) { // ThreadedRelayTools: the relay from other threads
            for (String tool : List.of("relay_future", "relay_reactor", "relay_reactor_blocking", "relay_later")) {
                step("call:" + tool, () -> describe(call(client, tool, Map.of())));
            }
        }
        if (clientRequests) {
            step("call:ask_user", () -> describe(call(client, "ask_user", Map.of())));
            step("call:list_roots", () -> describe(call(client, "list_roots", Map.of())));
            // SetLevelRequest has no _meta component in any release: the agent sends its fields as a map with _meta
            step("logging/setLevel", () -> {
                client.setLoggingLevel(McpSchema.LoggingLevel.INFO);
                return "set";
            });
        }
        if (extra) {
            step("call:ask_model", () -> describe(call(client, "ask_model", Map.of())));
            // trace context sent by the caller itself (this client has no agent in the tests that use these steps)
            step("call:add_traceparent_valid", () -> describe(client.callTool(new McpSchema.CallToolRequest("add",
                    Map.of("a", 20, "b", 22), Map.of("traceparent", VALID_TRACEPARENT, "caller", "kept")))));
            step("call:add_traceparent_malformed", () -> describe(client.callTool(new McpSchema.CallToolRequest("add",
                    Map.of("a", 20, "b", 22), Map.of("traceparent", "00-not-a-trace-context-01")))));
            step("call:big", () -> {
                CallToolResult r = call(client, "big", Map.of("chars", BIG_CHARS));
                return "chars=" + ((McpSchema.TextContent) r.content().get(0)).text().length();
            });
        }
        step("close", () -> "graceful=" + client.closeGracefully());
        OUT.println("DONE");
        OUT.flush();
    }

    private static CallToolResult call(McpSyncClient client, String tool, Map<String, Object> arguments) {
        return client.callTool(new McpSchema.CallToolRequest(tool, arguments));
    }

    static String describe(CallToolResult r) {
        String text = r.content() == null ? "" : r.content().stream().map(TestClient::text)
                .collect(Collectors.joining(" | "));
        return "isError=" + Boolean.TRUE.equals(r.isError()) + " text=" + text;
    }

    private static String text(McpSchema.Content c) {
        return c instanceof McpSchema.TextContent ? ((McpSchema.TextContent) c).text() : c.type();
    }

    private static void step(String name, Callable<String> action) {
        long start = System.nanoTime();
        String line;
        try {
            String detail = action.call();
            long ms = (System.nanoTime() - start) / 1_000_000;
            line = "STEP " + name + " OK " + detail + " ms=" + ms;
        } catch (Throwable t) {
            Throwable e = unwrap(t);
            String message = String.valueOf(e.getMessage());
            if (e instanceof McpError && ((McpError) e).getJsonRpcError() != null) {
                message += " [code=" + ((McpError) e).getJsonRpcError().code() + "]";
            }
            Throwable root = e;
            while (root.getCause() != null && root.getCause() != root) {
                root = root.getCause();
            }
            if (root != e) {
                message += " (cause " + root.getClass().getName() + ": " + root.getMessage() + ")";
            }
            if (message.length() > MAX_MESSAGE) {
                message = message.substring(0, MAX_MESSAGE) + "...";
            }
            line = "STEP " + name + " ERROR " + e.getClass().getName() + ": " + message;
        }
        OUT.println(line.replace('\r', ' ').replace('\n', ' '));
        OUT.flush();
    }

    /** Reactor wraps checked exceptions thrown through block(); report the real one. */
    private static Throwable unwrap(Throwable t) {
        Throwable e = t;
        while (e.getCause() != null && e.getClass().getName().startsWith("reactor.core.Exceptions$")) {
            e = e.getCause();
        }
        return e;
    }
}
