package io.mcpobservatory.query;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.ByteArrayOutputStream;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The command line: its errors, an export to a file, and the stdio server's life (its stdout is the protocol only). */
class MainTest {

    @TempDir
    Path dir;

    private int run(ByteArrayOutputStream out, ByteArrayOutputStream err, String... args) {
        return Main.run(args, new PrintStream(out, true, StandardCharsets.UTF_8),
                new PrintStream(err, true, StandardCharsets.UTF_8));
    }

    @Test
    void badCommandLinesExitTwoWithOneLine() throws Exception {
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        assertEquals(2, run(out, err));
        assertEquals(2, run(out, err, "frobnicate"));
        assertEquals(2, run(out, err, "export", "--format"));
        assertEquals(2, run(out, err, "export", "--bogus", "x"));
        assertEquals(2, run(out, err, "export", "--jsonl", dir.toString(), "--jdbc-url", "jdbc:postgresql://x/y"));
        assertEquals(2, run(out, err, "export", "--jsonl", dir.toString(), "--format", "xml"));
        assertEquals(2, run(out, err, "export", "--jsonl", dir.toString(), "--format", "csv", "--since", "5y"));
        assertEquals(2, run(out, err, "export", "--jsonl", dir.resolve("nope").toString(), "--format", "csv"));
        assertEquals(2, run(out, err, "report", "--jsonl", dir.toString()));
        String said = err.toString(StandardCharsets.UTF_8);
        assertTrue(said.contains("unknown command 'frobnicate'"), said);
        assertTrue(said.contains("bad window '5y'"), said);
        assertTrue(!said.contains("\tat "), "no stack trace: " + said);
        assertEquals("", out.toString(StandardCharsets.UTF_8));
    }

    @Test
    void exportAndReportToFiles() throws Exception {
        new Synthetic(java.time.Instant.now()).writeJsonLines(dir.resolve("spans"));
        ByteArrayOutputStream out = new ByteArrayOutputStream();
        ByteArrayOutputStream err = new ByteArrayOutputStream();
        Path csv = dir.resolve("out/stats.csv");
        assertEquals(0, run(out, err, "export", "--jsonl", dir.resolve("spans").toString(), "--format", "csv",
                "--since", "24h", "--out", csv.toString()), err.toString(StandardCharsets.UTF_8));
        assertTrue(Files.readString(csv).startsWith("service,mcp_method,tool_name,calls,"));
        Path html = dir.resolve("report.html");
        assertEquals(0, run(out, err, "report", "--jsonl", dir.resolve("spans").toString(), "--out", html.toString()));
        assertTrue(out.toString(StandardCharsets.UTF_8).contains(html.toString()), "prints the report's path");
        assertTrue(Files.readString(html).contains("<svg class=\"chart\" data-chart=\"calls\""));
    }

    @Test
    void theStdioServerAnswersThenExitsWhenItsInputCloses() throws Exception {
        new Synthetic(java.time.Instant.now()).writeJsonLines(dir.resolve("spans"));
        Process p = new ProcessBuilder(Paths.get(System.getProperty("java.home"), "bin", "java").toString(), "-cp",
                System.getProperty("java.class.path"), Main.class.getName(), "mcp", "--jsonl",
                dir.resolve("spans").toString()).redirectError(dir.resolve("err.txt").toFile()).start();
        try (OutputStream in = p.getOutputStream()) {
            for (String line : List.of(
                    "{\"jsonrpc\":\"2.0\",\"id\":1,\"method\":\"initialize\",\"params\":{\"protocolVersion\":"
                            + "\"2025-06-18\",\"capabilities\":{},\"clientInfo\":{\"name\":\"t\",\"version\":\"1\"}}}",
                    "{\"jsonrpc\":\"2.0\",\"method\":\"notifications/initialized\"}",
                    "{\"jsonrpc\":\"2.0\",\"id\":2,\"method\":\"tools/call\",\"params\":{\"name\":\"tool_stats\","
                            + "\"arguments\":{\"since\":\"24h\",\"sort\":\"p95_ms\",\"limit\":1}}}")) {
                in.write((line + "\n").getBytes(StandardCharsets.UTF_8));
            }
        }
        assertTrue(p.waitFor(60, TimeUnit.SECONDS), "the server exits once its stdin is closed");
        assertEquals(0, p.exitValue());
        String stdout = new String(p.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        String[] lines = stdout.split("\n");
        assertEquals(2, lines.length, "two answers and nothing else on stdout:\n" + stdout);
        for (String line : lines) {
            assertTrue(line.startsWith("{\"jsonrpc\":\"2.0\""), line);
        }
        assertTrue(lines[1].contains("\"id\":2") && lines[1].contains("top: fetch_page"), lines[1]);
        assertTrue(Files.readString(dir.resolve("err.txt")).contains("MCP server on stdio"));
    }
}
