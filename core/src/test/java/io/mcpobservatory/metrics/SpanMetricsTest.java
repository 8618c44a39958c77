package io.mcpobservatory.metrics;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.testing.PrometheusExposition;
import java.util.Map;
import org.junit.jupiter.api.Test;

class SpanMetricsTest {

    private final MetricRegistry registry = new MetricRegistry(MetricRegistry.DEFAULT_MAX_SERIES);
    private final SpanMetrics metrics = new SpanMetrics(registry);

    static Span serverSpan(String method, String tool, String transport) {
        Span span = Span.start(Span.KIND_SERVER, McpMethod.of(method), null);
        span.toolName = tool;
        span.transport = transport;
        span.protocolVersion = "2025-06-18";
        span.sessionId = "session-" + span.spanId;
        span.requestId = span.spanId;
        span.end();
        return span;
    }

    @Test
    void operationDurationsHaveTheConventionsAttributesAndNoIds() {
        Span ok = serverSpan("tools/call", "add", Transports.STDIO);
        ok.endNanos = ok.startNanos + 15_000_000;
        Span failed = serverSpan("tools/call", "add", Transports.STDIO);
        failed.failRpc(-32603, "boom");
        Span isError = serverSpan("tools/call", "add", Transports.STDIO);
        isError.status = Span.STATUS_ERROR;
        isError.errorType = "tool_error";
        Span noType = serverSpan("ping", null, Transports.STREAMABLE_HTTP);
        noType.status = Span.STATUS_ERROR; // in error without a type: the conventions' _OTHER
        Span prompt = serverSpan("prompts/get", null, Transports.SSE);
        prompt.promptName = "greeting";
        Span client = Span.start(Span.KIND_CLIENT, McpMethod.of("tools/call"), null);
        client.toolName = "add";
        client.transport = Transports.STREAMABLE_HTTP;
        client.end();
        for (Span span : new Span[] {ok, failed, isError, noType, prompt, client}) {
            metrics.record(span);
        }

        String text = registry.prometheusText();
        PrometheusExposition scrape = PrometheusExposition.parse(text);
        String server = "mcp_server_operation_duration_seconds";
        Map<String, String> okLabels = Map.of("mcp_method_name", "tools/call", "gen_ai_tool_name", "add",
                "mcp_protocol_version", "2025-06-18", "network_transport", "pipe");
        assertEquals(1, scrape.sample(server + "_count", okLabels).value);
        assertEquals(0.015, scrape.sample(server + "_sum", okLabels).value, 1e-12);
        assertEquals(1, scrape.sum(server + "_count", s -> "-32603".equals(s.label("error_type"))));
        assertEquals(1, scrape.sum(server + "_count", s -> "tool_error".equals(s.label("error_type"))));
        assertEquals(1, scrape.sample(server + "_count", Map.of("mcp_method_name", "ping", "error_type", "_OTHER",
                "mcp_protocol_version", "2025-06-18", "network_transport", "tcp")).value);
        assertEquals(1, scrape.sum(server + "_count", s -> "greeting".equals(s.label("gen_ai_prompt_name"))
                && "tcp".equals(s.label("network_transport"))));
        assertEquals(1, scrape.sample("mcp_client_operation_duration_seconds_count", Map.of("mcp_method_name",
                "tools/call", "gen_ai_tool_name", "add", "network_transport", "tcp")).value);
        assertEquals(5, scrape.sum(server + "_count", s -> true));
        assertFalse(text.contains("session"), "never the session id: " + text);
        assertFalse(text.contains(Long.toString(ok.spanId)), "never the request id");
    }

    @Test
    void tokensAndCostAreCountedPerTool() {
        Span call = serverSpan("tools/call", "search", Transports.STDIO);
        call.promptTokens = 1200;
        call.completionTokens = 30;
        call.costUsd = 0.00405;
        Span again = serverSpan("tools/call", "search", Transports.STDIO);
        again.promptTokens = 800;
        again.completionTokens = 0; // nothing to add
        again.costUsd = 0.0024;
        Span list = serverSpan("tools/list", null, Transports.STDIO);
        list.promptTokens = 5000;
        metrics.record(call);
        metrics.record(again);
        metrics.record(list);

        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals("counter", scrape.type("mcp_observatory_tokens_total"));
        assertEquals(2000, scrape.sample("mcp_observatory_tokens_total", Map.of("mcp_method_name", "tools/call",
                "gen_ai_tool_name", "search", "gen_ai_token_type", "input")).value);
        assertEquals(30, scrape.sample("mcp_observatory_tokens_total", Map.of("mcp_method_name", "tools/call",
                "gen_ai_tool_name", "search", "gen_ai_token_type", "output")).value);
        assertEquals(5000, scrape.sample("mcp_observatory_tokens_total", Map.of("mcp_method_name", "tools/list",
                "gen_ai_token_type", "input")).value);
        assertEquals(0.00645, scrape.sample("mcp_observatory_cost_usd_total", Map.of("mcp_method_name", "tools/call",
                "gen_ai_tool_name", "search")).value, 1e-12);
    }

    @Test
    void sessionDurationsGoToTheSidesHistogram() {
        metrics.recordSessionDuration(true, 90_000_000_000L, Transports.STDIO, "2025-06-18", null);
        metrics.recordSessionDuration(true, 20_000_000_000L, Transports.STREAMABLE_HTTP, null, "-32000");
        metrics.recordSessionDuration(false, 1_000_000_000L, Transports.STDIO, "2025-06-18", null);

        PrometheusExposition scrape = PrometheusExposition.parse(registry.prometheusText());
        assertEquals(1, scrape.sample("mcp_server_session_duration_seconds_bucket", Map.of("mcp_protocol_version",
                "2025-06-18", "network_transport", "pipe", "le", "120.0")).value);
        assertEquals(0, scrape.sample("mcp_server_session_duration_seconds_bucket", Map.of("mcp_protocol_version",
                "2025-06-18", "network_transport", "pipe", "le", "60.0")).value);
        assertEquals(1, scrape.sample("mcp_server_session_duration_seconds_count",
                Map.of("network_transport", "tcp", "error_type", "-32000")).value);
        assertEquals(1.0, scrape.sample("mcp_client_session_duration_seconds_sum",
                Map.of("mcp_protocol_version", "2025-06-18", "network_transport", "pipe")).value);
    }

    @Test
    void transportsMapToTheConventionsNetworkTransport() {
        assertEquals("pipe", SpanMetrics.networkTransport(Transports.STDIO));
        assertEquals("tcp", SpanMetrics.networkTransport(Transports.SSE));
        assertEquals("tcp", SpanMetrics.networkTransport(Transports.STREAMABLE_HTTP));
        assertEquals("tcp", SpanMetrics.networkTransport(Transports.STATELESS_HTTP));
        assertEquals(null, SpanMetrics.networkTransport(null));
    }
}
