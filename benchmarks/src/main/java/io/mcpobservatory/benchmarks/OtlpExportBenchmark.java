package io.mcpobservatory.benchmarks;

import com.sun.net.httpserver.HttpServer;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.export.otlp.OtlpExporter;
import io.mcpobservatory.export.otlp.OtlpTarget;
import io.mcpobservatory.export.otlp.TraceEncoder;
import java.io.ByteArrayOutputStream;
import java.io.InputStream;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import java.util.zip.GZIPOutputStream;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OperationsPerInvocation;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * The OTLP export's cost per span on its lane's thread (goal, issue 14: keep up with 50,000 spans/s on one core), in
 * batches of 1,000 spans (the default {@code observatory.export.batch-size}) of a busy server's shapes: tool calls with
 * a session id, request id, protocol version, tokens and cost, one in eight failed with a message.
 *
 * <ul>
 *   <li>{@code encode}: the {@code ExportTraceServiceRequest} written by the agent's own encoder;</li>
 *   <li>{@code encodeGzip}: the same, then gzip (default level) as with {@code observatory.otlp.compression=gzip};</li>
 *   <li>{@code exportToLocalReceiver}: {@link OtlpExporter#export} end to end, HTTP POST over loopback to a JDK
 *   HttpServer in the same JVM that reads and discards the body (its thread shares the machine).</li>
 * </ul>
 *
 * Run: {@code benchmarks/run.sh otlp/encode OtlpExportBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc}. Scores are per
 * span ({@link OperationsPerInvocation}).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class OtlpExportBenchmark {

    private static final int BATCH = 1000;
    private static final String[] TOOLS = {"get_forecast", "search_archive", "add", "fetch_page", "summarize",
        "list_files", "read_file", "translate"};

    private List<Span> batch;
    private TraceEncoder encoder;
    private ByteArrayOutputStream gzipped;
    private HttpServer receiver;
    private OtlpExporter exporter;

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        batch = new ArrayList<>();
        String session = UUID.randomUUID().toString();
        for (int i = 0; i < BATCH; i++) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
            span.toolName = TOOLS[i % TOOLS.length];
            span.requestId = i;
            span.sessionId = session;
            span.protocolVersion = "2025-06-18";
            span.transport = Transports.STREAMABLE_HTTP;
            span.clientName = "claude-code";
            span.clientVersion = "2.0.14";
            span.promptTokens = 100 + i;
            span.completionTokens = 20;
            span.costUsd = 0.0006;
            span.model = "claude-sonnet-4-5";
            if (i % 8 == 0) {
                span.failRpc(-32603, "upstream timed out after 30000 ms while fetching https://api.example.com/v1/x");
            }
            span.end();
            batch.add(span);
        }
        Map<String, String> resource = new LinkedHashMap<>();
        resource.put("service.name", "bench");
        encoder = new TraceEncoder(resource, "0.1.0");
        gzipped = new ByteArrayOutputStream();
        receiver = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        receiver.createContext("/v1/traces", exchange -> {
            try (exchange; InputStream in = exchange.getRequestBody()) {
                in.transferTo(java.io.OutputStream.nullOutputStream());
                exchange.sendResponseHeaders(200, -1);
            }
        });
        receiver.start();
        exporter = new OtlpExporter(new OtlpTarget(URI.create("http://127.0.0.1:" + receiver.getAddress().getPort()
                + "/v1/traces"), null, 60_000, Map.of(), false, 10_000, resource, "0.1.0"));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        receiver.stop(0);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encode() {
        encoder.encode(batch);
        return encoder.size();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public int encodeGzip() throws Exception {
        encoder.encode(batch);
        gzipped.reset();
        try (GZIPOutputStream gzip = new GZIPOutputStream(gzipped, 8192)) {
            gzip.write(encoder.buffer(), 0, encoder.size());
        }
        return gzipped.size();
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public void exportToLocalReceiver() throws Exception {
        exporter.export(batch);
    }

    /** Bytes per span, encoded and gzipped, for the record. */
    public static void main(String[] args) throws Exception {
        OtlpExportBenchmark bench = new OtlpExportBenchmark();
        bench.setUp();
        System.out.printf("batch of %d spans: %d bytes encoded, %d gzipped%n", BATCH, bench.encode(),
                bench.encodeGzip());
        bench.tearDown();
    }
}
