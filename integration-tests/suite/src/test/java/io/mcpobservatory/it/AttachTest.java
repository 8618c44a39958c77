package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Assumptions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * {@code java -jar agent.jar attach} against MCP servers started without the agent, driven before and after the attach in
 * the same session: only requests after the attach are spans, a second attach changes nothing, and
 * {@code observatory.enabled=false} stops recording on the live JVM. The command runs in its own JVM, as a user runs it.
 */
class AttachTest {

    private static final String SDK = "2.1.0";
    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @ParameterizedTest(name = "{1} server on JDK {0}")
    @CsvSource({"17, stdio", "17, streamable", "25, stdio", "25, streamable"})
    void requestsAfterTheAttachAreSpans(int jdk, String transport) throws Exception {
        String java = java(jdk);
        try (Server server = Server.start(dir, java, transport)) {
            DrivenClient client = server.client;
            client.send("call fast");
            client.send("list");

            Cli attach = Cli.runWith(dir, java, "attach", Long.toString(server.pid),
                    "--set", "observatory.jsonl.path=" + spanFile(),
                    "--set", "export.interval=100ms", "--set", "sampling.ping=true",
                    "--set", "observatory.service.name=it, attached=yes");
            assertEquals(0, attach.exitCode, attach.toString());
            assertTrue(attach.stdout.startsWith("attached MCP Observatory ") && attach.stdout.contains(": recording"),
                    attach.toString());
            assertEquals(1, attach.stdout.lines().count(), attach.toString());

            Cli again = Cli.runWith(dir, java, "attach", Long.toString(server.pid));
            assertEquals(0, again.exitCode, again.toString());
            assertTrue(again.stdout.contains("is already in pid " + server.pid + " (recording): nothing done."),
                    again.toString());

            client.send("call fast");
            client.send("call is_error");
            client.send("call slow");
            client.send("prompt");
            client.send("read");
            client.send("ping");
            Spans spans = awaitSpans(6);

            assertEquals(Map.of("tools/call", 3L, "prompts/get", 1L, "resources/read", 1L, "ping", 1L),
                    spans.countsByMethod(), spans.toString());
            assertEquals("ok", Spans.text(spans.tool("fast"), "status"));
            assertEquals("tool_error", Spans.text(spans.tool("is_error"), "error_type"));
            assertTrue(spans.tool("slow").get("duration_ms").asDouble() >= 200.0, spans.toString());
            assertEquals("prompts/get greeting", Spans.text(spans.method("prompts/get").get(0), "name"));
            String expectedTransport = transport.equals("stdio") ? "stdio" : "streamable_http";
            for (JsonNode span : spans.all) {
                assertEquals(expectedTransport, Spans.text(span, "transport"), span.toString());
                assertEquals("it, attached=yes", Spans.text(span, "service"), "--set values keep , and =");
                assertNotNull(Spans.text(span, "session_id"), span.toString());
                // the session's initialize happened before the attach: the client's name was never seen
                assertNull(Spans.text(span, "client_name"), span.toString());
            }

            client.quit();
            String stderr = server.stop();
            assertEquals(1, countLines(stderr, "[mcp-observatory] attached:"), "the second attach did nothing\n" + stderr);
            assertFalse(stderr.contains("sun.misc.Unsafe"), stderr);
            if (jdk >= 21) {
                assertTrue(stderr.contains("A Java agent has been loaded dynamically"), "JEP 451 warning, on stderr");
            }
        }
    }

    @Test
    void listShowsTheAgentAndEnabledFalseStopsRecording() throws Exception {
        String java = Apps.java();
        try (Server server = Server.start(dir, java, "streamable")) {
            DrivenClient client = server.client;
            assertEquals("-", agentColumn(server.pid));

            Cli off = Cli.run(dir, "attach", Long.toString(server.pid), "--set", "observatory.enabled=false");
            assertEquals(0, off.exitCode, off.toString());
            assertTrue(off.stdout.contains("no agent in pid " + server.pid + ": nothing done"), off.toString());

            Cli typo = Cli.run(dir, "attach", Long.toString(server.pid), "--set", "observatory.exporter=jsnol");
            assertEquals(2, typo.exitCode, "a bad setting is a usage error: " + typo);
            assertEquals(1, typo.stderr.lines().count(), typo.toString());
            assertEquals("-", agentColumn(server.pid), "nothing was loaded");


            Cli attach = Cli.run(dir, "attach", Long.toString(server.pid), "--config", writeConfig().toString());
            assertEquals(0, attach.exitCode, attach.toString());
            assertTrue(agentColumn(server.pid).endsWith(" recording"));
            client.send("call fast");
            JsonNode first = awaitSpans(1).all.get(0);
            assertEquals("svc, with=odd%2C chars", Spans.text(first, "service"), "the file was read as it is");

            Cli stop = Cli.run(dir, "attach", Long.toString(server.pid), "--set", "observatory.enabled=false");
            assertEquals(0, stop.exitCode, stop.toString());
            assertTrue(stop.stdout.contains("recording switched off"), stop.toString());
            assertTrue(agentColumn(server.pid).endsWith(" off"));
            client.send("call fast");
            client.send("call slow");
            Thread.sleep(500); // five export intervals: a span recorded now would be in the file
            assertEquals(1, Spans.read(spanFile()).all.size(), "nothing recorded while off");

            Cli on = Cli.run(dir, "attach", Long.toString(server.pid));
            assertEquals(0, on.exitCode, on.toString());
            assertTrue(on.stdout.contains("recording switched back on"), on.toString());
            client.send("call is_error");
            Spans spans = awaitSpans(2);
            assertEquals("is_error", Spans.text(spans.all.get(1), "tool_name"));
            client.quit();
        }
    }

    private Path spanFile() {
        return dir.resolve("spans/spans.jsonl");
    }

    /** A config file whose values hold the characters the agent argument must carry intact. */
    private Path writeConfig() throws Exception {
        Path file = dir.resolve("attach config, with=signs.properties");
        Files.writeString(file, "observatory.jsonl.path=" + spanFile().toString().replace("\\", "\\\\") + "\n"
                + "observatory.export.interval=100ms\nobservatory.service.name=svc, with=odd%2C chars\n");
        return file;
    }

    /** The AGENT column of {@code list} for one pid. */
    private String agentColumn(long pid) throws Exception {
        Cli list = Cli.run(dir, "list");
        assertEquals(0, list.exitCode, list.toString());
        assertTrue(list.stdout.startsWith("PID "), list.stdout);
        for (String line : list.stdout.split("\\R")) {
            if (line.startsWith(pid + " ")) {
                return line.split("\\s{2,}")[1]; // columns are apart by two spaces or more; AGENT has at most one
            }
        }
        throw new AssertionError("pid " + pid + " not listed:\n" + list.stdout);
    }

    private Spans awaitSpans(int count) throws Exception {
        long deadline = System.nanoTime() + Duration.ofSeconds(20).toNanos();
        while (System.nanoTime() < deadline) {
            if (Files.exists(spanFile()) && Files.readAllLines(spanFile()).size() >= count) {
                Thread.sleep(300); // three export intervals: a span too many would show up now
                return Spans.read(spanFile());
            }
            Thread.sleep(50);
        }
        throw new AssertionError("fewer than " + count + " spans after 20 s: "
                + (Files.exists(spanFile()) ? Spans.read(spanFile()).toString() : "no span file"));
    }

    private static long countLines(String text, String prefix) {
        return text.lines().filter(line -> line.contains(prefix)).count();
    }

    /** The test's own JDK (17), or the Temurin 25 JDK (it.jdk25.home); that test is skipped where there is none. */
    static String java(int feature) {
        if (feature == 17) {
            return Apps.java();
        }
        Path home = Paths.get(System.getProperty("it.jdk25.home", "/usr/lib/jvm/temurin-25-jdk-amd64"));
        Path java = home.resolve("bin/java");
        Assumptions.assumeTrue(Files.isExecutable(java), "no JDK 25 at " + home + " (set it.jdk25.home)");
        return java.toString();
    }

    /**
     * A test server without the agent and a driven client in session with it. Over stdio the client starts the server
     * (its child process); over streamable HTTP the test starts it and the client connects.
     */
    static final class Server implements AutoCloseable {
        final long pid;
        final DrivenClient client;
        private final ChildJvm http;
        private final Path dir;

        private Server(long pid, DrivenClient client, ChildJvm http, Path dir) {
            this.pid = pid;
            this.client = client;
            this.http = http;
            this.dir = dir;
        }

        static Server start(Path dir, String java, String transport) throws Exception {
            return start(dir, java, transport, List.of());
        }

        /** With {@code options} (system properties...) in the server's command line. */
        static Server start(Path dir, String java, String transport, List<String> options) throws Exception {
            String classPath = Apps.classPath(SDK);
            List<String> command = new ArrayList<>(List.of(java));
            command.addAll(options);
            command.addAll(List.of("-cp", classPath, Apps.SERVER, transport));
            if (transport.equals("stdio")) {
                // stdout is copied to a file on its way to the client, to check it carried nothing but JSON-RPC
                List<String> args = new ArrayList<>(List.of("stdio", "sh", "-c", "\"$@\" | tee \"$0\"",
                        dir.resolve("server.stdout").toString()));
                args.addAll(command);
                DrivenClient client = DrivenClient.start(dir, java, classPath, args.toArray(new String[0]));
                ProcessHandle server = client.process.descendants()
                        .filter(p -> p.info().commandLine().orElse("").contains(Apps.SERVER)
                                && !p.info().command().orElse("").endsWith("sh"))
                        .findFirst().orElseThrow(() -> new AssertionError("the stdio client started no server"));
                return new Server(server.pid(), client, null, dir);
            }
            command.add("0");
            ChildJvm http = ChildJvm.start(dir, "server", command);
            String port = http.awaitLine("LISTENING ", Duration.ofSeconds(60)).substring("LISTENING ".length()).trim();
            DrivenClient client = DrivenClient.start(dir, java, classPath, transport, "http://127.0.0.1:" + port);
            return new Server(http.process.pid(), client, http, dir);
        }

        /**
         * Stops the server (SIGTERM) and returns its stderr; over stdio the client relayed it into its own, and the
         * server's stdout must have been JSON-RPC messages only.
         */
        String stop() throws Exception {
            if (http == null) {
                List<String> stdout = Files.readAllLines(dir.resolve("server.stdout"));
                assertFalse(stdout.isEmpty());
                for (String line : stdout) {
                    assertEquals("2.0", JSON.readTree(line).path("jsonrpc").asText(), "not JSON-RPC on stdout: " + line);
                }
                return client.stderr();
            }
            http.stop(Duration.ofSeconds(30));
            return http.stderr();
        }

        @Override
        public void close() throws Exception {
            client.close();
            if (http != null) {
                http.close();
            }
        }
    }
}
