package io.mcpobservatory.it.app;

import io.modelcontextprotocol.client.transport.ServerParameters;
import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.client.transport.McpClientTransport;
import io.modelcontextprotocol.modern.client.transport.StdioMcpClientTransport;
import java.util.Arrays;
import java.util.Map;
import java.util.concurrent.Callable;

/**
 * A client on SDK 2.2's modern API, for ModernApiTest (2.2.0 test app only). Runs {@code server/discover},
 * {@code tools/list}, then calls {@code add}, {@code is_error}, {@code progress} and {@code throws}; prints one line per step,
 * {@code STEP <name> OK <detail>} or {@code STEP <name> ERROR <exception>}, then {@code DONE}.
 * <pre>
 * ModernClient stdio &lt;server command...&gt;   starts the server as a child process
 * ModernClient http &lt;url&gt;                    the server's /mcp endpoint
 * </pre>
 */
public final class ModernClient {

    private ModernClient() {
    }

    public static void main(String[] args) throws Exception {
        McpClientTransport transport;
        if (args[0].equals("stdio")) {
            ServerParameters server = ServerParameters.builder(args[1])
                    .args(Arrays.asList(args).subList(2, args.length)).env(System.getenv()).build();
            transport = StdioMcpClientTransport.builder(server).jsonMapper(Json.mapper())
                    .stderrConsumer(line -> System.err.println("[server stderr] " + line)).start();
        } else {
            transport = HttpClientMcpTransport.builder(args[1] + "/mcp").jsonMapper(Json.mapper()).build();
        }
        McpSyncClient client = McpClient.sync(transport).jsonMapper(Json.mapper())
                .clientInfo(McpSchema.Implementation.builder("it-modern-client", "2.0.0").build()).build();
        step("discover", () -> client.discover().supportedVersions());
        step("list", () -> client.tools().list().tools().size());
        step("call:add", () -> text(client.tool("add").arguments(Map.of("a", 1, "b", 2)).call()));
        step("call:is_error", () -> text(client.tool("is_error").call()));
        java.util.concurrent.atomic.AtomicInteger progress = new java.util.concurrent.atomic.AtomicInteger();
        step("call:progress", () -> text(client.tool("progress").progress(p -> progress.incrementAndGet()).call())
                + " progress=" + progress.get());
        step("call:throws", () -> text(client.tool("throws").call()));
        System.out.println("DONE");
        System.out.flush();
        if (transport instanceof AutoCloseable) {
            ((AutoCloseable) transport).close();
        }
        System.exit(0); // do not wait for transport threads
    }

    private static String text(McpSchema.CallToolResult result) {
        Object first = result.content().isEmpty() ? null : result.content().get(0);
        return "isError=" + result.isError() + " text="
                + (first instanceof McpSchema.TextContent ? ((McpSchema.TextContent) first).text() : first);
    }

    private static void step(String name, Callable<Object> action) {
        try {
            System.out.println("STEP " + name + " OK " + action.call());
        } catch (Exception e) {
            System.out.println("STEP " + name + " ERROR " + e.getClass().getName() + ": " + e.getMessage());
        }
        System.out.flush();
    }
}
