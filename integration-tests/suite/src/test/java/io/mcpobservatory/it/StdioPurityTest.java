package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A stdio server's stdout is the protocol: with the agent in, and with bad configuration values that make the agent
 * warn, every byte on stdout is still a JSON-RPC message. The warnings go to stderr, name the key, and the server works.
 */
class StdioPurityTest {

    private static final ObjectMapper JSON = new ObjectMapper();

    @TempDir
    Path dir;

    @Test
    void stdoutCarriesOnlyJsonRpcAndBadConfigOnlyWarns() throws Exception {
        Path spanFile = dir.resolve("spans.jsonl");
        List<String> command = Apps.javaCommand(true, List.of(
                        "-Dobservatory.jsonl.path=" + spanFile,
                        "-Dobservatory.buffer.capacity=lots",
                        "-Dobservatory.no-such-key=1",
                        "-Dobservatory.export.interval=100ms"),
                Apps.classPath("2.1.0"), Apps.SERVER, "stdio");
        Process server = Apps.process(command).directory(dir.toFile())
                .redirectError(dir.resolve("server.err").toFile()).start();
        List<String> stdout = new CopyOnWriteArrayList<>();
        Thread reader = new Thread(() -> {
            try (BufferedReader in = new BufferedReader(
                    new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                String line;
                while ((line = in.readLine()) != null) {
                    stdout.add(line);
                }
            } catch (Exception ignored) {
                // process ended
            }
        });
        reader.start();
        try (OutputStream stdin = server.getOutputStream()) {
            send(stdin, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                    + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw-client\",\"version\":\"0.1\"}}}");
            awaitResponses(stdout, 1);
            send(stdin, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
            send(stdin, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"fast\","
                    + "\"arguments\":{\"text\":\"x\"}}}");
            send(stdin, "{\"jsonrpc\":\"2.0\",\"id\":3,\"method\":\"tools/list\"}");
            send(stdin, "{\"jsonrpc\":\"2.0\",\"id\":4,\"method\":\"tools/call\",\"params\":{\"name\":\"throws\"}}");
            awaitResponses(stdout, 4);
        }
        if (!server.waitFor(30, TimeUnit.SECONDS)) {
            server.destroy();
            server.waitFor(30, TimeUnit.SECONDS);
        }
        reader.join(10_000);

        assertEquals(4, stdout.size(), "stdout: " + stdout);
        for (String line : stdout) {
            JsonNode message = JSON.readTree(line);
            assertEquals("2.0", message.get("jsonrpc").asText(), line);
        }
        String stderr = Files.readString(dir.resolve("server.err"));
        assertTrue(stderr.contains("observatory.buffer.capacity='lots'") && stderr.contains("using 8192"), stderr);
        assertTrue(stderr.contains("observatory.no-such-key"), stderr);
        // its one session started at initialize and ended when stdin did (or, at the latest, when the JVM exited)
        assertTrue(stderr.contains("sessions (server stdio): 1 ended"), stderr);

        Spans spans = Spans.read(spanFile);
        assertEquals("raw-client", Spans.text(spans.tool("fast"), "client_name"));
        assertEquals("-32603", Spans.text(spans.tool("throws"), "error_type"));
        assertEquals(1, spans.method("tools/list").size());
        assertEquals("1", Spans.text(spans.method("initialize").get(0), "jsonrpc_request_id"));
    }

    private static void send(OutputStream stdin, String line) throws Exception {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }

    private static void awaitResponses(List<String> stdout, int count) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
        while (stdout.size() < count && System.nanoTime() < deadline) {
            Thread.sleep(50);
        }
    }
}
