package io.mcpobservatory.it.app;

import io.modelcontextprotocol.client.McpClient;
import io.modelcontextprotocol.client.McpSyncClient;
import io.modelcontextprotocol.spec.McpSchema;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;

/**
 * An MCP client driven line by line from stdin, so a test can make requests, do something else (attach an agent to the
 * server), and go on in the same session. Connects and initializes at start, then prints {@code READY}; each command
 * prints one line, {@code OK <command> <detail>} or {@code ERR <command> <exception>}.
 *
 * <pre>
 * PhasedClient stdio &lt;server command line...&gt; | PhasedClient streamable http://127.0.0.1:PORT
 * commands:  call &lt;tool&gt;   (answers isError=... text=...)   list   ping   prompt [name]   read [uri]
 *            schema &lt;tool&gt;  (the listed tool's input schema)
 *            loop &lt;tool&gt;   (calls it back to back on another thread)
 *            repeat &lt;tool&gt; &lt;n&gt;  (calls it n times, one after the other; answers with the count of each outcome)
 *            stop         (ends the loop; prints the calls made and the slowest call's milliseconds)
 *            quit         (closes the session and exits 0; so does end of input)
 * </pre>
 */
public final class PhasedClient {

    private static final PrintStream OUT = System.out;

    private PhasedClient() {
    }

    public static void main(String[] args) throws Exception {
        McpSyncClient client = McpClient.sync(TestClient.transport(args))
                .clientInfo(new McpSchema.Implementation(TestClient.CLIENT_NAME, TestClient.CLIENT_VERSION))
                // a stdio server this client starts may be a Spring Boot app, slow to start on a busy machine: its
                // initialize is answered only then (-Dit.client.requestTimeoutSeconds, SpringAiServerTest)
                .requestTimeout(Duration.ofSeconds(Long.getLong("it.client.requestTimeoutSeconds", 30)))
                .initializationTimeout(Duration.ofSeconds(240))
                .build();
        McpSchema.InitializeResult init = client.initialize();
        say("READY " + init.protocolVersion());
        Loop loop = null;
        BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
        for (String line = in.readLine(); line != null && !line.trim().equals("quit"); line = in.readLine()) {
            String[] words = line.trim().split("\\s+");
            try {
                switch (words[0]) {
                    case "loop":
                        loop = new Loop(client, words[1]);
                        loop.start();
                        say("OK " + line);
                        break;
                    case "stop":
                        say("OK " + line + " " + (loop == null ? "0 0" : loop.finish()));
                        loop = null;
                        break;
                    default:
                        say("OK " + line + " " + run(client, words));
                }
            } catch (Exception e) {
                say("ERR " + line + " " + e.getClass().getName() + ": " + e.getMessage());
            }
        }
        if (loop != null) {
            loop.finish();
        }
        client.closeGracefully();
        OUT.flush();
        System.exit(0); // do not wait for transport threads
    }

    private static String run(McpSyncClient client, String[] words) {
        switch (words[0]) {
            case "call":
                McpSchema.CallToolResult result = client.callTool(new McpSchema.CallToolRequest(words[1], arguments(words[1])));
                return TestClient.describe(result);
            case "repeat":
                return repeat(client, words[1], Integer.parseInt(words[2]));
            case "list":
                return client.listTools().tools().size() + " tools";
            case "ping":
                client.ping();
                return "pong";
            case "prompt":
                return client.getPrompt(new McpSchema.GetPromptRequest(words.length > 1 ? words[1] : "greeting",
                        Map.of("name", "Ada"))).messages().size() + " messages";
            case "read":
                return client.readResource(new McpSchema.ReadResourceRequest(
                        words.length > 1 ? words[1] : TestServer.RESOURCE_URI)).contents().size() + " contents";
            case "schema": // the listed tool's input schema, as text (its type differs between releases)
                return client.listTools().tools().stream().filter(tool -> tool.name().equals(words[1]))
                        .map(tool -> String.valueOf(tool.inputSchema())).findFirst().orElse("no tool " + words[1]);
            default:
                throw new IllegalArgumentException("unknown command " + words[0]);
        }
    }

    private static String repeat(McpSyncClient client, String tool, int times) {
        int ok = 0;
        int failed = 0;
        for (int i = 0; i < times; i++) {
            try {
                client.callTool(new McpSchema.CallToolRequest(tool, arguments(tool)));
                ok++;
            } catch (RuntimeException e) {
                failed++;
            }
        }
        return "ok=" + ok + " failed=" + failed;
    }

    /** Valid arguments for the test server's tools. */
    private static Map<String, Object> arguments(String tool) {
        switch (tool) {
            case "fast":
                return Map.of("text", "hi");
            case "add":
                return Map.of("a", 1, "b", 2);
            case "profile":
            case "profile_fail":
                return PrivacyTools.PROFILE;
            default:
                return Map.of();
        }
    }

    /** One answer per line: a multi-line tool text (Spring AI 2.0's error results) would be read as the next answer. */
    private static synchronized void say(String line) {
        OUT.println(line.replace("\r", "").replace("\n", "\\n"));
        OUT.flush();
    }

    /** Back-to-back calls of one tool on its own thread, until stopped. */
    private static final class Loop extends Thread {
        private final McpSyncClient client;
        private final String tool;
        private final AtomicBoolean running = new AtomicBoolean(true);
        private final AtomicLong calls = new AtomicLong();
        private volatile long slowestNanos;

        Loop(McpSyncClient client, String tool) {
            super("phased-client-loop");
            this.client = client;
            this.tool = tool;
        }

        @Override
        public void run() {
            while (running.get()) {
                try {
                    long start = System.nanoTime();
                    client.callTool(new McpSchema.CallToolRequest(tool, arguments(tool)));
                    slowestNanos = Math.max(slowestNanos, System.nanoTime() - start);
                    calls.incrementAndGet();
                } catch (RuntimeException e) {
                    say("ERR loop " + e);
                    return;
                }
            }
        }

        /** "calls slowestMillis" */
        String finish() throws InterruptedException {
            running.set(false);
            join(30_000);
            return calls.get() + " " + String.format(java.util.Locale.ROOT, "%.3f", slowestNanos / 1e6);
        }
    }
}
