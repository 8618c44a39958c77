package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.export.JsonLinesExporter;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
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
import org.openjdk.jmh.annotations.Warmup;

/**
 * The drainer's cost of writing one span as a JSON line ({@code observatory.exporter=jsonl}, the default without a
 * database): batches of 1,000 server tool-call spans with tokens and cost, as the drainer hands them over, into a file
 * under the JVM's temporary directory (rotated at 64 MB, one old file kept, so the disk holds at most ~128 MB).
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class JsonLinesBenchmark {

    static final int BATCH = 1000;

    Path dir;
    JsonLinesExporter exporter;
    final List<Span> batch = new ArrayList<>(BATCH);

    @Setup(Level.Trial)
    public void setUp() throws IOException {
        dir = Files.createTempDirectory("jsonl-bench");
        exporter = new JsonLinesExporter(dir.resolve("spans.jsonl"), 64L << 20, 1, "bench-service");
        for (int i = 0; i < BATCH; i++) {
            Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
            span.toolName = "get_forecast";
            span.requestId = Integer.valueOf(i);
            span.sessionId = "3f2a9c1e-5d7b-4e8a-9c0f-1b2d3e4f5a6b";
            span.transport = Transports.STREAMABLE_HTTP;
            span.clientName = "bench-client";
            span.clientVersion = "1.4.2";
            span.protocolVersion = "2025-06-18";
            span.model = "claude-sonnet-4-5";
            span.promptTokens = 120 + i % 50;
            span.completionTokens = 80 + i % 30;
            span.costUsd = 0.00123 + i * 1e-7;
            span.end();
            batch.add(span);
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() throws IOException {
        exporter.close();
        try (var files = Files.list(dir)) {
            for (Path file : (Iterable<Path>) files::iterator) {
                Files.delete(file);
            }
        }
        Files.delete(dir);
    }

    @Benchmark
    @OperationsPerInvocation(BATCH)
    public JsonLinesExporter exportBatch() throws IOException {
        exporter.export(batch);
        return exporter;
    }
}
