package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The scrape port is taken by another process: a stdio server with the agent still starts and answers, its stdout
 * carries nothing but JSON-RPC, and stderr has one warning naming the key and the port.
 */
class MetricsPortInUseTest {

    @TempDir
    Path dir;

    @Test
    void aPortInUseIsOneWarningAndTheServerWorks() throws Exception {
        try (ServerSocket taken = new ServerSocket(0, 1, InetAddress.getByName("127.0.0.1"))) {
            int port = taken.getLocalPort();
            Path stderrFile = dir.resolve("server.err");
            List<String> command = Apps.javaCommand(true, List.of(
                            "-Dobservatory.jsonl.path=" + dir.resolve("spans.jsonl"),
                            "-Dobservatory.export.interval=100ms",
                            "-Dobservatory.prometheus.port=" + port),
                    Apps.classPath("2.1.0"), Apps.SERVER, "stdio");
            Process server = Apps.process(command).directory(dir.toFile()).redirectError(stderrFile.toFile()).start();
            List<String> stdout = new CopyOnWriteArrayList<>();
            Thread reader = new Thread(() -> {
                try (BufferedReader in = new BufferedReader(
                        new InputStreamReader(server.getInputStream(), StandardCharsets.UTF_8))) {
                    for (String line = in.readLine(); line != null; line = in.readLine()) {
                        stdout.add(line);
                    }
                } catch (Exception ignored) {
                    // the process ended
                }
            });
            reader.start();
            String warning = "[mcp-observatory] WARN observatory.prometheus.port=" + port + ": 127.0.0.1:" + port
                    + " cannot be bound";
            try (OutputStream stdin = server.getOutputStream()) {
                send(stdin, "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                        + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"raw\",\"version\":\"0.1\"}}}");
                send(stdin, "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}");
                // the endpoint starts with the pipeline, when the first span has ended
                long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (!Files.readString(stderrFile).contains(warning) && System.nanoTime() < deadline) {
                    Thread.sleep(50);
                }
                send(stdin, "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"fast\","
                        + "\"arguments\":{\"text\":\"x\"}}}");
                long answered = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
                while (stdout.size() < 2 && System.nanoTime() < answered) {
                    Thread.sleep(50);
                }
            }
            assertTrue(server.waitFor(30, TimeUnit.SECONDS), "the server exits at the end of its input");
            reader.join(10_000);

            assertEquals(2, stdout.size(), "stdout: " + stdout);
            ObjectMapper json = new ObjectMapper();
            for (String line : stdout) {
                assertEquals("2.0", json.readTree(line).get("jsonrpc").asText(), line);
            }
            assertTrue(stdout.get(1).contains("\"id\":2") && !stdout.get(1).contains("\"error\""), stdout.get(1));
            String stderr = Files.readString(stderrFile);
            assertEquals(1, stderr.lines().filter(line -> line.contains("observatory.prometheus.port")).count(),
                    stderr);
            assertTrue(stderr.contains(warning), stderr);
            assertEquals(1, Spans.read(dir.resolve("spans.jsonl")).method("tools/call").size(), "tracing went on");
        }
    }

    private static void send(OutputStream stdin, String line) throws Exception {
        stdin.write((line + "\n").getBytes(StandardCharsets.UTF_8));
        stdin.flush();
    }
}
