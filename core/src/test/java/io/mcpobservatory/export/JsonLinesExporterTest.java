package io.mcpobservatory.export;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.Enrichment;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JsonLinesExporterTest {

    @TempDir
    Path dir;

    static Span span(String method, String tool) {
        Span span = Span.start(Span.KIND_SERVER, McpMethod.of(method), null);
        span.toolName = tool;
        span.requestId = 42;
        span.end();
        return span;
    }

    @Test
    void writesOneSnakeCaseObjectPerLine() throws Exception {
        Path file = dir.resolve("out/spans.jsonl");
        Span failed = span("tools/call", "search");
        failed.failRpc(-32603, "x".repeat(10_000)); // cut to Span.MAX_TEXT_CHARS when recorded
        try (JsonLinesExporter exporter = new JsonLinesExporter(file, 1 << 20, 2, "svc")) {
            exporter.export(List.of(span("ping", null), failed));
        }
        List<String> lines = Files.readAllLines(file);
        assertEquals(2, lines.size());
        assertTrue(lines.get(0).startsWith("{\"trace_id\":\""), lines.get(0));
        assertTrue(lines.get(0).contains("\"name\":\"ping\""));
        assertTrue(lines.get(0).contains("\"parent_span_id\":null"));
        assertTrue(lines.get(1).contains("\"name\":\"tools/call search\""));
        assertTrue(lines.get(1).contains("\"service\":\"svc\""));
        assertTrue(lines.get(1).contains("\"jsonrpc_request_id\":\"42\""));
        assertTrue(lines.get(1).length() < 3_000, "long error messages are cut");
        assertTrue(lines.get(1).contains("\"error_type\":\"-32603\""));
    }

    @Test
    void writesWhatTheApplicationSaidAboutTheRequest() throws Exception {
        Path file = dir.resolve("spans.jsonl");
        Span told = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
        Enrichment.retries(told, 2);
        Enrichment.fallbackUsed(told, true);
        Enrichment.confidence(told, 0.64);
        told.tokensEstimated = true;
        Enrichment.attribute(told, "tokens_estimated", "no: the agent's own keys win");
        Enrichment.attribute(told, "quote\"key", "line\nbreak");
        Enrichment.attribute(told, "items", 3L);
        Enrichment.confidenceGate(told, 0.7, true);
        Enrichment.highRiskPath(told);
        told.end();
        try (JsonLinesExporter exporter = new JsonLinesExporter(file, 1 << 20, 2, "svc")) {
            exporter.export(List.of(told, span("ping", null)));
        }
        List<String> lines = Files.readAllLines(file);
        assertTrue(lines.get(0).endsWith("\"retries\":2,\"fallback_used\":true,\"confidence\":0.64,\"attributes\":"
                + "{\"tokens_estimated\":true,\"quote\\\"key\":\"line\\nbreak\",\"items\":3,"
                + "\"mcp.observatory.confidence_gate.threshold\":0.7,\"mcp.observatory.confidence_gate.blocked\":true,"
                + "\"mcp.observatory.high_risk_path\":true},\"tool_arguments\":null,\"tool_result\":null}"), lines.get(0));
        assertTrue(lines.get(1).endsWith("\"retries\":null,\"fallback_used\":null,\"confidence\":null,"
                + "\"attributes\":null,\"tool_arguments\":null,\"tool_result\":null}"), lines.get(1));
    }

    @Test
    void rotatesBySizeAndKeepsAtMostMaxFiles() throws Exception {
        Path file = dir.resolve("spans.jsonl");
        try (JsonLinesExporter exporter = new JsonLinesExporter(file, 4096, 2, "svc")) {
            for (int i = 0; i < 40; i++) {
                List<Span> batch = new ArrayList<>();
                for (int j = 0; j < 5; j++) {
                    batch.add(span("tools/call", "t" + i));
                }
                exporter.export(batch);
            }
        }
        assertTrue(Files.exists(dir.resolve("spans.jsonl.1")));
        assertTrue(Files.exists(dir.resolve("spans.jsonl.2")));
        assertFalse(Files.exists(dir.resolve("spans.jsonl.3")));
        assertTrue(Files.size(file) <= 4096 + 5_000, "a file exceeds the cap by at most one batch");
        String newest = Files.readString(file);
        assertTrue(newest.contains("\"tool_name\":\"t39\""), "the newest spans are in the live file");
    }
}
