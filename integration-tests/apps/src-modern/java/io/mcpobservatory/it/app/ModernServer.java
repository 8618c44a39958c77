package io.mcpobservatory.it.app;

import io.modelcontextprotocol.modern.McpSchema;
import io.modelcontextprotocol.modern.client.McpClient;
import io.modelcontextprotocol.modern.client.McpSyncClient;
import io.modelcontextprotocol.modern.client.transport.HttpClientMcpTransport;
import io.modelcontextprotocol.modern.server.McpRequestContext;
import io.modelcontextprotocol.modern.server.McpServer;
import io.modelcontextprotocol.modern.server.McpSyncResponse;
import io.modelcontextprotocol.modern.server.feature.McpSyncTool;
import io.modelcontextprotocol.modern.server.feature.McpSyncToolRepository;
import io.modelcontextprotocol.modern.server.feature.ToolsFeature;
import io.modelcontextprotocol.modern.server.feature.ToolsPage;
import io.modelcontextprotocol.modern.server.transport.HttpServletMcpTransport;
import io.modelcontextprotocol.modern.server.transport.StdioMcpTransport;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import org.apache.catalina.Context;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

/**
 * A server on SDK 2.2's modern API ({@code io.modelcontextprotocol.modern}, protocol revision 2026-07-28), for
 * ModernApiTest; in the 2.2.0 test app only ({@code apps/src-modern}).
 * <pre>
 * ModernServer stdio          over stdin/stdout (nothing else is written to stdout); ends when stdin closes
 * ModernServer http &lt;port&gt;    HttpServletMcpTransport in Tomcat on 127.0.0.1 at /mcp; prints LISTENING &lt;port&gt;
 * </pre>
 * Tools: {@code add(a, b)}, {@code is_error} (a result with {@code isError: true}), {@code progress} (answers with an
 * event stream: progress notifications, then its result, after 300 ms) and {@code throws} (its handler throws); with
 * {@code -Dit.relay.url=<another modern server>} also {@code relay}, which calls that server's {@code add} with a
 * modern sync client from inside its handler (the request a tool sends to another MCP server).
 */
public final class ModernServer {

    private ModernServer() {
    }

    public static void main(String[] args) throws Exception {
        McpServer server = McpServer.builder()
                .serverInfo(McpSchema.Implementation.builder("it-modern-server", "1.0.0").build())
                .jsonMapper(Json.mapper())
                .feature(ToolsFeature.ofSync(new Tools()))
                .build();
        if (args[0].equals("stdio")) {
            StdioMcpTransport transport = new StdioMcpTransport(server, Json.mapper());
            transport.start().block(); // until stdin ends
            return;
        }
        HttpServletMcpTransport servlet = HttpServletMcpTransport.builder(server).jsonMapper(Json.mapper())
                .endpoint("/mcp").build();
        Path baseDir = Files.createTempDirectory("it-modern-tomcat");
        Tomcat tomcat = new Tomcat();
        tomcat.setBaseDir(baseDir.toString());
        Connector connector = new Connector();
        connector.setPort(Integer.parseInt(args[1]));
        connector.setProperty("address", "127.0.0.1");
        tomcat.setConnector(connector);
        tomcat.getServer().setPort(-1);
        Context context = tomcat.addContext("", null);
        Tomcat.addServlet(context, "mcp", servlet).setAsyncSupported(true);
        context.addServletMappingDecoded("/*", "mcp");
        tomcat.start();
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (Exception e) {
                System.err.println("it-modern-server: tomcat stop failed: " + e);
            }
            stopped.countDown();
        }, "it-modern-server-shutdown"));
        System.out.println("LISTENING " + connector.getLocalPort());
        System.out.flush();
        stopped.await();
    }

    /** The three tools. */
    private static final class Tools implements McpSyncToolRepository {

        private final Map<String, McpSyncTool> tools = new LinkedHashMap<>();

        Tools() {
            Map<String, Object> numbers = Map.of("type", "object", "properties",
                    Map.of("a", Map.of("type", "number"), "b", Map.of("type", "number")));
            Map<String, Object> none = Map.of("type", "object");
            add(McpSchema.Tool.builder("add", numbers).description("adds a and b").build(), (context, request) -> {
                Map<String, Object> arguments = request.arguments();
                double sum = ((Number) arguments.get("a")).doubleValue() + ((Number) arguments.get("b")).doubleValue();
                return text(String.valueOf(sum), false);
            });
            add(McpSchema.Tool.builder("is_error", none).description("answers isError").build(),
                    (context, request) -> text("it went wrong", true));
            // answers with an event stream: two progress notifications, then the result (the span ends with the stream)
            add(McpSchema.Tool.builder("progress", none).description("streams progress").build(),
                    (context, request) -> McpSyncResponse.streaming(notifier -> {
                        notifier.progress(1, 2.0, "half");
                        sleep(300);
                        notifier.progress(2, 2.0, "done");
                        return McpSchema.CallToolResult.builder()
                                .addContent(McpSchema.TextContent.builder("streamed").build()).build();
                    }));
            add(McpSchema.Tool.builder("throws", none).description("its handler throws").build(),
                    (context, request) -> {
                        throw new IllegalStateException("tool failed on purpose");
                    });
            String relayUrl = System.getProperty("it.relay.url");
            if (relayUrl != null) {
                McpSyncClient relay = McpClient.sync(HttpClientMcpTransport.builder(relayUrl + "/mcp")
                        .jsonMapper(Json.mapper()).build()).jsonMapper(Json.mapper())
                        .clientInfo(McpSchema.Implementation.builder("it-modern-relay", "1.0.0").build()).build();
                add(McpSchema.Tool.builder("relay", none).description("adds 2 and 3 on another server").build(),
                        (context, request) -> {
                            McpSchema.CallToolResult sum = relay.tool("add").arguments(Map.of("a", 2, "b", 3)).call();
                            return text("relayed " + ((McpSchema.TextContent) sum.content().get(0)).text(), false);
                        });
            }
        }

        private void add(McpSchema.Tool tool, McpSyncTool.Handler handler) {
            tools.put(tool.name(), McpSyncTool.of(tool, handler));
        }

        private static void sleep(long millis) {
            try {
                Thread.sleep(millis);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        private static McpSyncResponse<McpSchema.CallToolOutcome> text(String text, boolean isError) {
            return McpSyncResponse.result(McpSchema.CallToolResult.builder()
                    .addContent(McpSchema.TextContent.builder(text).build()).isError(isError).build());
        }

        @Override
        public ToolsPage list(McpRequestContext context, String cursor) {
            return ToolsPage.of(List.copyOf(tools.values().stream().map(McpSyncTool::definition).toList()));
        }

        @Override
        public McpSyncTool find(McpRequestContext context, String name) {
            return tools.get(name);
        }
    }
}
