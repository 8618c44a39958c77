package io.mcpobservatory.it;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpServer;
import io.opentelemetry.proto.collector.metrics.v1.ExportMetricsServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceResponse;
import io.opentelemetry.proto.common.v1.AnyValue;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.resource.v1.Resource;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.stream.Collectors;
import java.util.zip.GZIPInputStream;

/**
 * An OTLP/HTTP receiver for the tests: {@code POST /v1/traces} bodies decoded with the official opentelemetry-proto
 * classes (gzip or not), each request kept with its headers and the time it came; what it answers is scripted
 * ({@link #answerNext}), 200 with an empty {@code ExportTraceServiceResponse} otherwise.
 */
final class OtlpReceiver implements AutoCloseable {

    /** One request as received. */
    record Request(long atNanos, Map<String, List<String>> headers, ExportTraceServiceRequest body, int answered) {
    }

    /** One metrics request as received. */
    record MetricsRequest(long atNanos, Map<String, List<String>> headers, ExportMetricsServiceRequest body) {
    }

    /** A scripted answer: status, headers, body. */
    record Answer(int status, Map<String, String> headers, byte[] body) {
    }

    private final HttpServer server;
    final List<Request> requests = new CopyOnWriteArrayList<>();
    final List<MetricsRequest> metrics = new CopyOnWriteArrayList<>();
    private final ConcurrentLinkedQueue<Answer> script = new ConcurrentLinkedQueue<>();

    private OtlpReceiver(HttpServer server) {
        this.server = server;
    }

    static OtlpReceiver start(int port) throws IOException {
        HttpServer server = HttpServer.create(new InetSocketAddress("127.0.0.1", port), 0);
        OtlpReceiver receiver = new OtlpReceiver(server);
        server.createContext("/v1/traces", receiver::handle);
        server.createContext("/v1/metrics", receiver::handleMetrics);
        server.start();
        return receiver;
    }

    int port() {
        return server.getAddress().getPort();
    }

    String endpoint() {
        return "http://127.0.0.1:" + port();
    }

    /** The next request is answered so, instead of 200 (in the order given). */
    void answerNext(int status, Map<String, String> headers, byte[] body) {
        script.add(new Answer(status, headers, body));
    }

    /** Metrics requests: kept with their time, always answered 200. */
    private void handleMetrics(HttpExchange exchange) throws IOException {
        try (exchange) {
            metrics.add(new MetricsRequest(System.nanoTime(), Map.copyOf(exchange.getRequestHeaders()),
                    ExportMetricsServiceRequest.parseFrom(body(exchange))));
            exchange.sendResponseHeaders(200, -1);
        }
    }

    private static byte[] body(HttpExchange exchange) throws IOException {
        byte[] raw;
        try (InputStream in = exchange.getRequestBody()) {
            raw = in.readAllBytes();
        }
        if ("gzip".equals(exchange.getRequestHeaders().getFirst("Content-Encoding"))) {
            try (InputStream in = new GZIPInputStream(new java.io.ByteArrayInputStream(raw))) {
                raw = in.readAllBytes();
            }
        }
        return raw;
    }

    private void handle(HttpExchange exchange) throws IOException {
        try (exchange) {
            ExportTraceServiceRequest request = ExportTraceServiceRequest.parseFrom(body(exchange));
            Answer answer = script.poll();
            if (answer == null) {
                answer = new Answer(200, Map.of("Content-Type", "application/x-protobuf"),
                        ExportTraceServiceResponse.getDefaultInstance().toByteArray());
            }
            requests.add(new Request(System.nanoTime(), Map.copyOf(exchange.getRequestHeaders()), request,
                    answer.status()));
            answer.headers().forEach((name, value) -> exchange.getResponseHeaders().add(name, value));
            exchange.sendResponseHeaders(answer.status(), answer.body().length == 0 ? -1 : answer.body().length);
            try (OutputStream out = exchange.getResponseBody()) {
                out.write(answer.body());
            }
        }
    }

    /** Every span of the requests answered 2xx, in arrival order. */
    List<Span> spans() {
        return accepted().stream().flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(rs -> rs.getScopeSpansList().stream()).flatMap(ss -> ss.getSpansList().stream())
                .collect(Collectors.toList());
    }

    /** The resources of the requests answered 2xx. */
    List<Resource> resources() {
        return accepted().stream().flatMap(r -> r.getResourceSpansList().stream()).map(ResourceSpans::getResource)
                .collect(Collectors.toList());
    }

    List<ScopeSpans> scopes() {
        return accepted().stream().flatMap(r -> r.getResourceSpansList().stream())
                .flatMap(rs -> rs.getScopeSpansList().stream()).collect(Collectors.toList());
    }

    private List<ExportTraceServiceRequest> accepted() {
        List<ExportTraceServiceRequest> accepted = new ArrayList<>();
        for (Request request : requests) {
            if (request.answered() / 100 == 2) {
                accepted.add(request.body());
            }
        }
        return accepted;
    }

    /** Attributes as a map of key to its value as text (strings as they are, numbers and booleans printed). */
    static Map<String, String> attributes(List<KeyValue> attributes) {
        return attributes.stream().collect(Collectors.toMap(KeyValue::getKey, kv -> text(kv.getValue()),
                (a, b) -> { throw new AssertionError("attribute twice: " + a + ", " + b); }, java.util.TreeMap::new));
    }

    private static String text(AnyValue value) {
        switch (value.getValueCase()) {
            case STRING_VALUE:
                return value.getStringValue();
            case INT_VALUE:
                return Long.toString(value.getIntValue());
            case DOUBLE_VALUE:
                return Double.toString(value.getDoubleValue());
            case BOOL_VALUE:
                return Boolean.toString(value.getBoolValue());
            default:
                return value.toString();
        }
    }

    static String hex(com.google.protobuf.ByteString id) {
        return HexFormat.of().formatHex(id.toByteArray());
    }

    /** Spans by {@code name}, for lookups in the tests. */
    static Map<String, List<Span>> byName(List<Span> spans) {
        return spans.stream().collect(Collectors.groupingBy(Span::getName));
    }


    @Override
    public void close() {
        server.stop(0);
    }
}
