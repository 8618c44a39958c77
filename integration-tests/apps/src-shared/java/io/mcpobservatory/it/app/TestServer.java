package io.mcpobservatory.it.app;

import io.modelcontextprotocol.server.McpServer;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpStatelessServerFeatures;
import io.modelcontextprotocol.server.McpStatelessSyncServer;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.server.transport.HttpServletSseServerTransportProvider;
import io.modelcontextprotocol.server.transport.HttpServletStatelessServerTransport;
import io.modelcontextprotocol.server.transport.HttpServletStreamableServerTransportProvider;
import io.modelcontextprotocol.server.transport.StdioServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpServerTransportProvider;
import io.modelcontextprotocol.spec.McpStatelessServerTransport;
import io.modelcontextprotocol.spec.McpStreamableServerTransportProvider;
import io.modelcontextprotocol.spec.McpSchema.CallToolRequest;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import io.modelcontextprotocol.spec.McpSchema.GetPromptRequest;
import io.modelcontextprotocol.spec.McpSchema.GetPromptResult;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceRequest;
import io.modelcontextprotocol.spec.McpSchema.ReadResourceResult;
import jakarta.servlet.http.HttpServlet;
import org.apache.catalina.Context;
import org.apache.catalina.LifecycleException;
import org.apache.catalina.Wrapper;
import org.apache.catalina.connector.Connector;
import org.apache.catalina.startup.Tomcat;

import java.io.FilterInputStream;
import java.io.FilterOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.math.BigInteger;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CountDownLatch;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Stream;

/**
 * MCP server used by the integration tests; the same source compiles against every SDK version under test.
 *
 * <pre>
 * TestServer stdio                      MCP over stdin/stdout; nothing else is ever written to stdout
 * TestServer sse        &lt;port&gt;          HTTP+SSE (GET /sse, POST /mcp/message)
 * TestServer streamable &lt;port&gt;          streamable HTTP at /mcp
 * TestServer stateless  &lt;port&gt;          stateless streamable HTTP at /mcp
 * TestServer (webflux|webmvc)-(sse|streamable|stateless) &lt;port&gt;
 *                                       the same endpoints on the SDK's Spring transports ({@link WebStack}; 0.x
 *                                       releases that published mcp-spring-webflux / mcp-spring-webmvc only)
 * </pre>
 *
 * HTTP modes listen on 127.0.0.1 (port 0 picks a free one), print one line {@code LISTENING <port>} to stdout once ready
 * and run until killed. Stdio mode runs until stdin reaches end of file (then answers the requests already read and
 * exits 0) or until killed.
 * With {@code -Dit.server.enrichment=true}, session servers also have the tools of {@link EnrichedTools}; with
 * {@code -Dit.server.privacy=true}, those of {@link PrivacyTools}; with {@code -Dit.server.downstream}, those of
 * {@link ThreadedRelayTools} too; with {@code -Dit.server.clientRequests=true}, those of {@link ClientRequestTools}.
 * Optional system property {@code it.server.shutdownMarker=<file>}: a JVM shutdown hook writes that file, so a test can
 * tell that shutdown hooks ran (SIGTERM, System.exit) rather than a hard kill. Tomcat logs (java.util.logging, to
 * System.err) at WARNING unless {@code it.server.tomcatLogLevel} says otherwise (e.g. FINE).
 */
public final class TestServer {

    static final String SERVER_NAME = "it-server";
    static final String SERVER_VERSION = "1.0.0";
    static final String RESOURCE_URI = "demo://readme";
    static final String RESOURCE_TEXT = "MCP Observatory test resource";
    /** What the ask_model tool asks the client's model (sampling/createMessage). */
    public static final String SAMPLING_SYSTEM_PROMPT = "You are a terse weather assistant.";
    public static final String SAMPLING_QUESTION = "What is the weather in Paris today? Answer in one sentence.";

    private static final String EMPTY_OBJECT_SCHEMA = "{\"type\":\"object\",\"properties\":{}}";
    private static final String FAST_SCHEMA = "{\"type\":\"object\",\"properties\":{\"text\":{\"type\":\"string\"}}}";
    private static final String BIG_SCHEMA = "{\"type\":\"object\",\"properties\":{\"chars\":{\"type\":\"integer\"}}}";
    private static final String ADD_SCHEMA = "{\"type\":\"object\",\"properties\":{\"a\":{\"type\":\"integer\"},"
            + "\"b\":{\"type\":\"integer\"}},\"required\":[\"a\",\"b\"]}";

    /** Strong reference: java.util.logging keeps loggers weakly, the level would be lost. */
    private static final Logger TOMCAT_LOGGER = Logger.getLogger("org.apache");

    private TestServer() {
    }

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            usage();
            return;
        }
        installShutdownMarker();
        switch (args[0]) {
            case "stdio":
                runStdio();
                break;
            case "sse":
            case "streamable":
            case "stateless":
                runHttp(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 0);
                break;
            case "webflux-sse":
            case "webflux-streamable":
            case "webflux-stateless":
            case "webmvc-sse":
            case "webmvc-streamable":
            case "webmvc-stateless":
                runSpring(args[0], args.length > 1 ? Integer.parseInt(args[1]) : 0);
                break;
            default:
                usage();
        }
    }

    private static void usage() {
        System.err.println("usage: TestServer stdio | TestServer (sse|streamable|stateless|(webflux|webmvc)-(sse|streamable"
                + "|stateless)) <port, 0 = any free port>");
        System.exit(2);
    }

    // ---------------------------------------------------------------------------------------------------------------
    // transports

    private static void runStdio() throws InterruptedException {
        StdioTracker tracker = new StdioTracker();
        InputStream in = tracker.new TrackingInputStream(System.in);
        OutputStream out = tracker.new TrackingOutputStream(System.out);
        StdioServerTransportProvider transport = Sdk.stdioServer(in, out);
        McpSyncServer server = configure(McpServer.sync(transport)).build();
        EnrichedTools.addTo(server);
        PrivacyTools.addTo(server);
        ThreadedRelayTools.addTo(server);
        ClientRequestTools.addTo(server);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> closeQuietly(server::closeGracefully), "it-server-shutdown"));
        tracker.stdinClosed.await();
        closeQuietly(server::closeGracefully);
        try {
            out.flush();
        } catch (IOException e) {
            // stdout gone: nothing left to tell anyone
        }
        System.exit(0);
    }

    private static void runHttp(String mode, int port) throws Exception {
        HttpServlet servlet;
        Runnable closeServer;
        switch (mode) {
            case "sse": {
                HttpServletSseServerTransportProvider provider = Sdk.sseServer("/sse", "/mcp/message");
                McpSyncServer server = configure(McpServer.sync(provider)).build();
                EnrichedTools.addTo(server);
                PrivacyTools.addTo(server);
                ThreadedRelayTools.addTo(server);
                ClientRequestTools.addTo(server);
                servlet = provider;
                closeServer = server::closeGracefully;
                break;
            }
            case "streamable": {
                HttpServletStreamableServerTransportProvider provider = Sdk.streamableServer("/mcp");
                McpSyncServer server = configure(McpServer.sync(provider)).build();
                EnrichedTools.addTo(server);
                PrivacyTools.addTo(server);
                ThreadedRelayTools.addTo(server);
                ClientRequestTools.addTo(server);
                servlet = provider;
                closeServer = server::closeGracefully;
                break;
            }
            default: {
                HttpServletStatelessServerTransport transport = Sdk.statelessServer("/mcp");
                McpStatelessSyncServer server = configureStateless(McpServer.sync(transport)).build();
                servlet = transport;
                closeServer = server::closeGracefully;
                break;
            }
        }

        TomcatHost tomcat = TomcatHost.start(servlet, port);
        serveUntilStopped(tomcat.port(), () -> {
            closeQuietly(closeServer);
            tomcat.stop();
        });
    }

    /** A server on one of the SDK's Spring transports: {@code <stack>-<sse|streamable|stateless>}. */
    private static void runSpring(String mode, int port) throws Exception {
        String[] stackAndTransport = mode.split("-", 2);
        WebStack stack = WebStack.named(stackAndTransport[0]);
        Object provider = stack.provider(stackAndTransport[1]);
        if (provider instanceof McpStatelessServerTransport) {
            McpStatelessSyncServer stateless = configureStateless(McpServer.sync((McpStatelessServerTransport) provider))
                    .build();
            int bound = stack.listen(port);
            serveUntilStopped(bound, () -> {
                closeQuietly(stateless::closeGracefully);
                stack.stop();
            });
            return;
        }
        McpSyncServer server;
        if (provider instanceof McpStreamableServerTransportProvider) {
            server = configure(McpServer.sync((McpStreamableServerTransportProvider) provider)).build();
        } else {
            server = configure(McpServer.sync((McpServerTransportProvider) provider)).build();
        }
        EnrichedTools.addTo(server);
        PrivacyTools.addTo(server);
        ThreadedRelayTools.addTo(server);
        ClientRequestTools.addTo(server);
        int bound = stack.listen(port);
        serveUntilStopped(bound, () -> {
            closeQuietly(server::closeGracefully);
            stack.stop();
        });
    }

    /** Prints {@code LISTENING <port>} and waits until killed: the shutdown hook runs {@code stop}, then ends the wait. */
    private static void serveUntilStopped(int port, Runnable stop) throws InterruptedException {
        CountDownLatch stopped = new CountDownLatch(1);
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            stop.run();
            stopped.countDown();
        }, "it-server-shutdown"));
        PrintStream out = System.out;
        out.println("LISTENING " + port);
        out.flush();
        stopped.await();
    }

    /** One servlet at /* of an embedded Tomcat on 127.0.0.1, without a shutdown port; also hosts {@link WebStack}s. */
    static final class TomcatHost {
        private final Tomcat tomcat;
        private final Connector connector;
        private final Path baseDir;

        private TomcatHost(Tomcat tomcat, Connector connector, Path baseDir) {
            this.tomcat = tomcat;
            this.connector = connector;
            this.baseDir = baseDir;
        }

        static TomcatHost start(HttpServlet servlet, int port) throws Exception {
            TOMCAT_LOGGER.setLevel(Level.parse(System.getProperty("it.server.tomcatLogLevel", "WARNING")));
            Path baseDir = Files.createTempDirectory("it-server-tomcat");
            baseDir.toFile().deleteOnExit(); // fallback for deleteRecursively below; runs after the application's hooks
            Tomcat tomcat = new Tomcat();
            tomcat.setBaseDir(baseDir.toString());
            Connector connector = new Connector();
            connector.setPort(port);
            connector.setProperty("address", "127.0.0.1");
            tomcat.setConnector(connector);
            tomcat.getServer().setPort(-1); // no shutdown port
            Context context = tomcat.addContext("", null);
            // load on startup: a servlet that cannot start (a DispatcherServlet's context) fails here, not at a request
            Wrapper wrapper = Tomcat.addServlet(context, "mcp", servlet);
            wrapper.setAsyncSupported(true);
            wrapper.setLoadOnStartup(1);
            context.addServletMappingDecoded("/*", "mcp");
            tomcat.start();
            return new TomcatHost(tomcat, connector, baseDir);
        }

        int port() {
            return connector.getLocalPort();
        }

        void stop() {
            try {
                tomcat.stop();
                tomcat.destroy();
            } catch (LifecycleException e) {
                System.err.println("it-server: tomcat stop failed: " + e);
            }
            deleteRecursively(baseDir);
        }
    }

    // ---------------------------------------------------------------------------------------------------------------
    // features, shared by the session-based and the stateless servers

    private static McpSchema.ServerCapabilities capabilities() {
        return McpSchema.ServerCapabilities.builder().tools(false).resources(false, false).prompts(false).build();
    }

    private static <S extends McpServer.SyncSpecification<S>> McpServer.SyncSpecification<S> configure(S spec) {
        List<McpServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        for (ToolDef def : toolDefs()) {
            tools.add(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(def.tool)
                    .callHandler((exchange, request) -> def.handler.apply(request))
                    .build());
        }
        String downstream = System.getProperty("it.server.downstream");
        if (downstream != null) {
            tools.add(McpServerFeatures.SyncToolSpecification.builder()
                    .tool(Sdk.tool("relay", "Calls the fast tool of the downstream server", EMPTY_OBJECT_SCHEMA))
                    .callHandler((exchange, request) -> relay(downstream))
                    .build());
        }
        tools.add(McpServerFeatures.SyncToolSpecification.builder()
                .tool(Sdk.tool("ask_model", "Asks the client's model a question", EMPTY_OBJECT_SCHEMA))
                .callHandler((exchange, request) -> askModel(exchange))
                .build());
        return spec.serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(capabilities())
                .tools(tools)
                .resources(new McpServerFeatures.SyncResourceSpecification(resource(),
                        (exchange, request) -> readResource(request)))
                .prompts(new McpServerFeatures.SyncPromptSpecification(prompt(),
                        (exchange, request) -> getPrompt(request)));
    }

    private static McpServer.StatelessSyncSpecification configureStateless(McpServer.StatelessSyncSpecification spec) {
        List<McpStatelessServerFeatures.SyncToolSpecification> tools = new ArrayList<>();
        for (ToolDef def : toolDefs()) {
            tools.add(McpStatelessServerFeatures.SyncToolSpecification.builder()
                    .tool(def.tool)
                    .callHandler((context, request) -> def.handler.apply(request))
                    .build());
        }
        String downstream = System.getProperty("it.server.downstream");
        if (downstream != null) {
            tools.add(McpStatelessServerFeatures.SyncToolSpecification.builder()
                    .tool(Sdk.tool("relay", "Calls the fast tool of the downstream server", EMPTY_OBJECT_SCHEMA))
                    .callHandler((context, request) -> relay(downstream))
                    .build());
        }
        return spec.serverInfo(SERVER_NAME, SERVER_VERSION)
                .capabilities(capabilities())
                .tools(tools)
                .resources(new McpStatelessServerFeatures.SyncResourceSpecification(resource(),
                        (context, request) -> readResource(request)))
                .prompts(new McpStatelessServerFeatures.SyncPromptSpecification(prompt(),
                        (context, request) -> getPrompt(request)));
    }

    private static final class ToolDef {
        final McpSchema.Tool tool;
        final Function<CallToolRequest, CallToolResult> handler;

        ToolDef(String name, String description, String inputSchema, Function<CallToolRequest, CallToolResult> handler) {
            this.tool = Sdk.tool(name, description, inputSchema);
            this.handler = handler;
        }
    }

    private static List<ToolDef> toolDefs() {
        return List.of(
                new ToolDef("fast", "Echoes its text argument", FAST_SCHEMA,
                        request -> text("fast:" + argument(request, "text"), false)),
                new ToolDef("slow", "Sleeps 200 ms", EMPTY_OBJECT_SCHEMA, request -> {
                    sleep(200);
                    return text("slow", false);
                }),
                new ToolDef("throws", "Throws from the handler", EMPTY_OBJECT_SCHEMA, request -> {
                    // Not instantly: a sync handler that throws before the thread that scheduled it onto boundedElastic
                    // has stored the task's Future makes Reactor 3.7 (SchedulerTask.setFuture after an early dispose)
                    // interrupt this thread, and on the servlet SSE/streamable transports of SDK 2.1.0 the error
                    // response is then written by this interrupted thread: Tomcat fails the write and drops the
                    // connection (SSE: the whole session). 50 ms lets the scheduling thread get there first.
                    sleep(50);
                    throw new IllegalStateException("boom");
                }),
                new ToolDef("is_error", "Returns a tool error result", EMPTY_OBJECT_SCHEMA,
                        request -> text("tool said no", true)),
                new ToolDef("add", "Adds two integers", ADD_SCHEMA, TestServer::add),
                new ToolDef("big", "Returns TestPayloads.bigText(chars)", BIG_SCHEMA,
                        request -> text(TestPayloads.bigText(((Number) argument(request, "chars")).intValue()), false)));
    }

    private static io.modelcontextprotocol.client.McpSyncClient downstreamClient;

    /**
     * A chain (-Dit.server.downstream=&lt;base URL of another test server&gt;): this tool calls that server's fast tool
     * through the SDK's own client, connected on first use (inside the first relay call, so its initialize is part of it).
     */
    private static synchronized CallToolResult relay(String baseUrl) {
        if (downstreamClient == null) {
            downstreamClient = io.modelcontextprotocol.client.McpClient.sync(
                            io.modelcontextprotocol.client.transport.HttpClientStreamableHttpTransport.builder(baseUrl)
                                    .endpoint("/mcp").build())
                    .clientInfo(new McpSchema.Implementation("it-relay", SERVER_VERSION))
                    .build();
            downstreamClient.initialize();
        }
        CallToolResult result = downstreamClient.callTool(new CallToolRequest("fast", Map.of("text", "relayed")));
        String text = ((McpSchema.TextContent) result.content().get(0)).text();
        return text("relay:" + text, false);
    }

    /** Sampling: the server asks the client's model (the client must declare the sampling capability). */
    private static CallToolResult askModel(io.modelcontextprotocol.server.McpSyncServerExchange exchange) {
        McpSchema.CreateMessageResult answer = exchange.createMessage(McpSchema.CreateMessageRequest.builder()
                .systemPrompt(SAMPLING_SYSTEM_PROMPT)
                .messages(List.of(new McpSchema.SamplingMessage(McpSchema.Role.USER,
                        new McpSchema.TextContent(SAMPLING_QUESTION))))
                .maxTokens(100)
                .build());
        String text = answer.content() instanceof McpSchema.TextContent
                ? ((McpSchema.TextContent) answer.content()).text() : answer.content().type();
        return text(answer.model() + ": " + text, false);
    }

    private static void sleep(long millis) {
        try {
            Thread.sleep(millis);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static CallToolResult add(CallToolRequest request) {
        BigInteger a = integer(request.arguments() == null ? null : request.arguments().get("a"));
        BigInteger b = integer(request.arguments() == null ? null : request.arguments().get("b"));
        if (a == null || b == null) {
            return text("invalid arguments", true);
        }
        return text(a.add(b).toString(), false);
    }

    /** The value as an integer if it is a JSON integer (Jackson gives Integer, Long or BigInteger), else null. */
    private static BigInteger integer(Object value) {
        if (value instanceof Integer || value instanceof Long || value instanceof Short || value instanceof Byte) {
            return BigInteger.valueOf(((Number) value).longValue());
        }
        if (value instanceof BigInteger) {
            return (BigInteger) value;
        }
        return null;
    }

    private static Object argument(CallToolRequest request, String name) {
        Map<String, Object> arguments = request.arguments();
        return arguments == null ? null : arguments.get(name);
    }

    private static CallToolResult text(String text, boolean isError) {
        return CallToolResult.builder().addTextContent(text).isError(isError).build();
    }

    private static McpSchema.Resource resource() {
        return McpSchema.Resource.builder()
                .uri(RESOURCE_URI)
                .name("readme")
                .description("Test resource")
                .mimeType("text/plain")
                .build();
    }

    private static ReadResourceResult readResource(ReadResourceRequest request) {
        return new ReadResourceResult(List.of(new McpSchema.TextResourceContents(RESOURCE_URI, "text/plain", RESOURCE_TEXT)));
    }

    private static McpSchema.Prompt prompt() {
        return new McpSchema.Prompt("greeting", "Greets someone by name",
                List.of(new McpSchema.PromptArgument("name", "Who to greet", true)));
    }

    private static GetPromptResult getPrompt(GetPromptRequest request) {
        Object name = request.arguments() == null ? null : request.arguments().get("name");
        if (name == null) {
            throw new IllegalArgumentException("missing required argument: name");
        }
        return new GetPromptResult("Greeting",
                List.of(new McpSchema.PromptMessage(McpSchema.Role.USER, new McpSchema.TextContent("Hello, " + name))));
    }

    // ---------------------------------------------------------------------------------------------------------------
    // plumbing

    /** Runs a close action on its own thread and gives up after 5 s, so a stuck close never blocks JVM exit. */
    private static void closeQuietly(Runnable close) {
        Thread t = new Thread(() -> {
            try {
                close.run();
            } catch (Throwable e) {
                System.err.println("it-server: close failed: " + e);
            }
        }, "it-server-close");
        t.setDaemon(true);
        t.start();
        try {
            t.join(5000);
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }

    private static void installShutdownMarker() {
        String marker = System.getProperty("it.server.shutdownMarker");
        if (marker == null || marker.isEmpty()) {
            return;
        }
        Runtime.getRuntime().addShutdownHook(new Thread(() -> {
            try {
                Files.write(Paths.get(marker), ("shutdown " + ProcessHandle.current().pid() + "\n")
                        .getBytes(StandardCharsets.UTF_8));
            } catch (IOException e) {
                System.err.println("it-server: cannot write shutdown marker: " + e);
            }
        }, "it-server-shutdown-marker"));
    }

    private static void deleteRecursively(Path dir) {
        try (Stream<Path> paths = Files.walk(dir)) {
            paths.sorted(Comparator.reverseOrder()).forEach(p -> p.toFile().delete());
        } catch (IOException | RuntimeException e) {
            // best effort
        }
    }

    /**
     * Watches the stdio streams handed to the SDK transport: notices end of file on stdin, and counts JSON-RPC requests
     * read against responses written, so that the server can finish answering before it exits on end of file.
     */
    private static final class StdioTracker {
        final CountDownLatch stdinClosed = new CountDownLatch(1);
        private final Object lock = new Object();
        private int pending;

        void awaitNoPendingRequests(long timeoutMillis) throws InterruptedException {
            long deadline = System.currentTimeMillis() + timeoutMillis;
            synchronized (lock) {
                while (pending > 0) {
                    long left = deadline - System.currentTimeMillis();
                    if (left <= 0) {
                        System.err.println("it-server: exiting with " + pending + " unanswered request(s)");
                        return;
                    }
                    lock.wait(left);
                }
            }
        }

        /** One complete line read from stdin or written to stdout; classify it as a request or a response. */
        private void line(byte[] bytes, int length, boolean inbound) {
            Map<?, ?> message;
            try {
                message = Sdk.readMap(new String(bytes, 0, length, StandardCharsets.UTF_8));
            } catch (IOException | RuntimeException e) {
                return; // not JSON: the SDK answers with an error or ignores it, nothing to wait for
            }
            if (message == null || !message.containsKey("id")) {
                return; // notification
            }
            boolean request = message.containsKey("method");
            synchronized (lock) {
                if (inbound && request) {
                    pending++;
                } else if (!inbound && !request) {
                    pending--;
                    lock.notifyAll();
                }
            }
        }

        /** Cuts a byte stream into lines. */
        private final class LineSplitter {
            private final boolean inbound;
            private byte[] buf = new byte[8192];
            private int len;

            LineSplitter(boolean inbound) {
                this.inbound = inbound;
            }

            synchronized void accept(byte[] b, int off, int n) {
                for (int i = off; i < off + n; i++) {
                    if (b[i] == '\n') {
                        line(buf, len, inbound);
                        len = 0;
                    } else {
                        if (len == buf.length) {
                            buf = Arrays.copyOf(buf, buf.length * 2);
                        }
                        buf[len++] = b[i];
                    }
                }
            }
        }

        final class TrackingInputStream extends FilterInputStream {
            private final LineSplitter lines = new LineSplitter(true);

            TrackingInputStream(InputStream in) {
                super(in);
            }

            @Override
            public int read() throws IOException {
                byte[] one = new byte[1];
                int n = read(one, 0, 1);
                return n < 0 ? -1 : one[0] & 0xff;
            }

            @Override
            public int read(byte[] b, int off, int len) throws IOException {
                int n;
                try {
                    n = super.read(b, off, len);
                } catch (IOException | RuntimeException e) {
                    stdinClosed.countDown();
                    throw e;
                }
                if (n < 0) {
                    // The SDK transport stops sending once it sees end of file, so hold it back until the requests
                    // already read have been answered: a client may send requests and close stdin right away.
                    try {
                        awaitNoPendingRequests(10_000);
                    } catch (InterruptedException e) {
                        Thread.currentThread().interrupt();
                    }
                    stdinClosed.countDown();
                } else {
                    lines.accept(b, off, n);
                }
                return n;
            }
        }

        final class TrackingOutputStream extends FilterOutputStream {
            private final LineSplitter lines = new LineSplitter(false);

            TrackingOutputStream(OutputStream out) {
                super(out);
            }

            @Override
            public void write(int b) throws IOException {
                write(new byte[] {(byte) b}, 0, 1);
            }

            @Override
            public void write(byte[] b, int off, int len) throws IOException {
                out.write(b, off, len);
                lines.accept(b, off, len);
            }
        }
    }
}
