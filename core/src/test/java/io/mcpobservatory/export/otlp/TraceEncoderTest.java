package io.mcpobservatory.export.otlp;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.export.SpanFormat;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Status;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What the hand-written encoder writes, read back with the official opentelemetry-proto classes. */
class TraceEncoderTest {

    private static final Map<String, String> RESOURCE = new LinkedHashMap<>(Map.of("service.name", "weather"));

    @Test
    void spansReadBackWithTheConventionsAttributes() throws Exception {
        Span call = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
        call.toolName = "get_forecast";
        call.requestId = 7;
        call.sessionId = "s-1";
        call.protocolVersion = "2025-06-18";
        call.transport = "stdio";
        call.promptTokens = 120;
        call.completionTokens = 9;
        call.costUsd = 0.0005;
        call.failRpc(-32603, "boom: città 北京 \uD83D\uDE00");
        call.end();
        Span child = Span.start(Span.KIND_CLIENT, McpMethod.of("sampling/createMessage"), call);
        child.transport = "streamable_http";
        child.end();

        ExportTraceServiceRequest request = encode(List.of(call, child));
        ScopeSpans scope = request.getResourceSpans(0).getScopeSpans(0);
        assertEquals("weather", attributes(request.getResourceSpans(0).getResource().getAttributesList())
                .get("service.name").getStringValue());
        assertEquals("io.mcpobservatory", scope.getScope().getName());
        assertEquals(2, scope.getSpansCount());

        io.opentelemetry.proto.trace.v1.Span first = scope.getSpans(0);
        assertEquals("tools/call get_forecast", first.getName());
        assertEquals(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_SERVER, first.getKind());
        assertEquals(SpanFormat.traceId(call), HexFormat.of().formatHex(first.getTraceId().toByteArray()));
        assertEquals(SpanFormat.spanId(call.spanId), HexFormat.of().formatHex(first.getSpanId().toByteArray()));
        assertTrue(first.getParentSpanId().isEmpty());
        assertEquals(call.startEpochNanos, first.getStartTimeUnixNano());
        assertEquals(call.startEpochNanos + call.durationNanos(), first.getEndTimeUnixNano());
        assertEquals(Status.StatusCode.STATUS_CODE_ERROR, first.getStatus().getCode());
        assertEquals("boom: città 北京 \uD83D\uDE00", first.getStatus().getMessage());
        Map<String, AnyValue> attributes = attributes(first.getAttributesList());
        assertEquals("tools/call", attributes.get("mcp.method.name").getStringValue());
        assertEquals("execute_tool", attributes.get("gen_ai.operation.name").getStringValue());
        assertEquals("get_forecast", attributes.get("gen_ai.tool.name").getStringValue());
        assertEquals("7", attributes.get("jsonrpc.request.id").getStringValue());
        assertEquals("s-1", attributes.get("mcp.session.id").getStringValue());
        assertEquals("2025-06-18", attributes.get("mcp.protocol.version").getStringValue());
        assertEquals("pipe", attributes.get("network.transport").getStringValue());
        assertEquals("-32603", attributes.get("error.type").getStringValue());
        assertEquals("-32603", attributes.get("rpc.response.status_code").getStringValue());
        assertEquals(120, attributes.get("gen_ai.usage.input_tokens").getIntValue());
        assertEquals(9, attributes.get("gen_ai.usage.output_tokens").getIntValue());
        assertEquals(0.0005, attributes.get("mcp.observatory.cost_usd").getDoubleValue());

        io.opentelemetry.proto.trace.v1.Span second = scope.getSpans(1);
        assertEquals(io.opentelemetry.proto.trace.v1.Span.SpanKind.SPAN_KIND_CLIENT, second.getKind());
        assertEquals(first.getTraceId(), second.getTraceId());
        assertEquals(first.getSpanId(), second.getParentSpanId());
        assertEquals(Status.StatusCode.STATUS_CODE_UNSET, second.getStatus().getCode());
        assertEquals("tcp", attributes(second.getAttributesList()).get("network.transport").getStringValue());
        assertFalse(attributes(second.getAttributesList()).containsKey("error.type"));
    }

    /** An HTTP traceparent other than the parent becomes a link; the same context, or a malformed one, does not. */
    @Test
    void httpTraceparentOtherThanTheParentIsALink() throws Exception {
        Span other = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
        io.mcpobservatory.bootstrap.TraceParent.join(other, "00-11111111111111111111111111111111-2222222222222222-01");
        other.httpTraceParent = "00-0af7651916cd43dd8448eb211c80319c-b7ad6b7169203331-01";
        other.end();
        Span same = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
        io.mcpobservatory.bootstrap.TraceParent.join(same, "00-11111111111111111111111111111111-2222222222222222-01");
        same.httpTraceParent = "00-11111111111111111111111111111111-2222222222222222-01";
        same.end();
        Span malformed = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
        malformed.httpTraceParent = "00-not-a-context";
        malformed.end();
        List<io.opentelemetry.proto.trace.v1.Span> spans = encode(List.of(other, same, malformed)).getResourceSpans(0)
                .getScopeSpans(0).getSpansList();
        assertEquals(1, spans.get(0).getLinksCount());
        assertEquals("0af7651916cd43dd8448eb211c80319c",
                HexFormat.of().formatHex(spans.get(0).getLinks(0).getTraceId().toByteArray()));
        assertEquals("b7ad6b7169203331", HexFormat.of().formatHex(spans.get(0).getLinks(0).getSpanId().toByteArray()));
        assertEquals("2222222222222222", HexFormat.of().formatHex(spans.get(0).getParentSpanId().toByteArray()));
        assertEquals(0, spans.get(1).getLinksCount());
        assertEquals(0, spans.get(2).getLinksCount());
    }

    /** Lengths of one, two and three varint bytes at every nesting level; an unpaired surrogate as '?'. */
    @Test
    void longAndOddTextsKeepTheirLengths() throws Exception {
        List<Span> batch = new ArrayList<>();
        for (int length : new int[] {0, 1, 60, 127, 128, 200, 16_383, 16_384, 70_000}) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.of("resources/read"), null);
            char[] text = new char[length];
            Arrays.fill(text, length % 2 == 0 ? 'é' : 'x');
            span.resourceUri = new String(text);
            span.errorType = "tool_error";
            span.errorMessage = "half \uD83D of a pair";
            span.end();
            batch.add(span);
        }
        ExportTraceServiceRequest request = encode(batch);
        List<io.opentelemetry.proto.trace.v1.Span> spans = request.getResourceSpans(0).getScopeSpans(0).getSpansList();
        assertEquals(batch.size(), spans.size());
        for (int i = 0; i < spans.size(); i++) {
            Map<String, AnyValue> attributes = attributes(spans.get(i).getAttributesList());
            String uri = batch.get(i).resourceUri;
            assertEquals(uri.isEmpty() ? null : uri, uri.isEmpty() ? null
                    : attributes.get("mcp.resource.uri").getStringValue());
            assertEquals("half ? of a pair", spans.get(i).getStatus().getMessage());
            assertFalse(attributes.containsKey("rpc.response.status_code"));
        }
    }

    @Test
    void theBufferIsReusedBetweenBatches() throws Exception {
        TraceEncoder encoder = new TraceEncoder(RESOURCE, "1.0");
        Span span = Span.start(Span.KIND_SERVER, McpMethod.of("ping"), null);
        span.end();
        encoder.encode(List.of(span, span, span));
        encoder.encode(List.of(span));
        ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(
                Arrays.copyOf(encoder.buffer(), encoder.size()));
        assertEquals(1, request.getResourceSpans(0).getScopeSpans(0).getSpansCount());
        assertEquals("1.0", request.getResourceSpans(0).getScopeSpans(0).getScope().getVersion());
    }

    @Test
    void refusalMessagesAndRetryAfter() {
        byte[] status = {0x08, 0x03, 0x12, 0x03, 'b', 'a', 'd'}; // google.rpc.Status {code: 3, message: "bad"}
        assertEquals("bad", OtlpSender.message(status, "application/x-protobuf"));
        assertEquals("not json", OtlpSender.message("not json".getBytes(), "text/plain"));
        assertEquals("(no message)", OtlpSender.message(new byte[0], null));
        assertEquals(2_000_000_000L, OtlpSender.retryAfterNanos("2"));
        assertEquals(0, OtlpSender.retryAfterNanos("soon"));
        assertEquals(0, OtlpSender.retryAfterNanos("Wed, 21 Oct 2015 07:28:00 GMT"), "a date in the past");
        assertTrue(OtlpSender.retryAfterNanos(java.time.format.DateTimeFormatter.RFC_1123_DATE_TIME.format(
                java.time.ZonedDateTime.now(java.time.ZoneOffset.UTC).plusSeconds(30))) > 20_000_000_000L);
    }

    private static ExportTraceServiceRequest encode(List<Span> batch) throws Exception {
        TraceEncoder encoder = new TraceEncoder(RESOURCE, "test");
        encoder.encode(batch);
        return ExportTraceServiceRequest.parseFrom(Arrays.copyOf(encoder.buffer(), encoder.size()));
    }

    private static Map<String, AnyValue> attributes(List<KeyValue> list) {
        Map<String, AnyValue> map = new LinkedHashMap<>();
        for (KeyValue kv : list) {
            assertEquals(null, map.put(kv.getKey(), kv.getValue()), "once: " + kv.getKey());
        }
        return map;
    }
}
