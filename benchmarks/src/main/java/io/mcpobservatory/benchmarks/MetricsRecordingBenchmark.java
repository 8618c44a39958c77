package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.Enrichment;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.metrics.MetricRegistry;
import io.mcpobservatory.metrics.SpanMetrics;
import io.mcpobservatory.rates.RateRecorder;
import io.mcpobservatory.rates.RateSettings;
import io.mcpobservatory.rates.RatesSnapshot;
import java.util.concurrent.TimeUnit;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;

/**
 * What recording a span's metrics costs the drainer ({@link SpanMetrics#record}: the operation histogram, input and
 * output tokens, cost), on one thread as on the drainer; goal (issue 12): at most 1 us a span.
 *
 * <ul>
 *   <li>{@code recordSpan}: spans cycling through 64 shapes (8 tools, errors, a prompt, tools/list with tokens, pings,
 *   stdio and HTTP), their names' hash codes already computed, as for spans whose strings are constants;</li>
 *   <li>{@code recordSpanFreshNames}: each span's tool or prompt name a new {@code String} made from its characters,
 *   as the SDK's JSON parsing gives every request, so the metrics hash and compare the name's characters every time;
 *   {@code freshNamesOnly} makes the names alone, to subtract;</li>
 *   <li>{@code scrape}: writing the exposition of what {@code recordSpan} recorded (about 70 series): the scrape
 *   thread's cost, not the drainer's;</li>
 *   <li>{@code recordSpanRates}: the decision rates of the same spans ({@link RateRecorder#record}: the service's row,
 *   and for tool calls the tools' and the tool's, each a fine and a coarse bucket; a quarter of the spans carry decision
 *   flags), and {@code recordSpanMetricsAndRates} both, as the drainer does for every span (goal: 1 us together);</li>
 *   <li>{@code publishRates}: what a tick costs the drainer (every 5 s): summing the three windows of the 10 rows and
 *   making the snapshot.</li>
 * </ul>
 *
 * Run: {@code benchmarks/run.sh metrics MetricsRecordingBenchmark -f 1 -wi 3 -w 2s -i 5 -r 2s -prof gc}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(value = 1, jvmArgsAppend = {"-Xms512m", "-Xmx512m", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Thread)
public class MetricsRecordingBenchmark {

    private static final String[] TOOLS = {"get_forecast", "search_archive", "add", "fetch_page", "summarize",
        "list_files", "read_file", "translate"};
    private static final int SHAPES = 64;

    private SpanMetrics metrics;
    private RateRecorder rates;
    /** The drainer's clock for the rates: fixed, as within one bucket (a new bucket clears one slot per row per tick). */
    private long now;
    private Span[] spans;
    private char[][] names;
    private int next;

    @Setup
    public void setUp() {
        metrics = new SpanMetrics(new MetricRegistry(MetricRegistry.DEFAULT_MAX_SERIES));
        spans = new Span[SHAPES];
        names = new char[SHAPES][];
        for (int i = 0; i < SHAPES; i++) {
            Span span;
            if (i % 16 == 15) {
                span = Span.start(Span.KIND_SERVER, McpMethod.of("tools/list"), null);
                span.promptTokens = 2300;
                span.costUsd = 0.0069;
            } else if (i % 16 == 14) {
                span = Span.start(Span.KIND_SERVER, McpMethod.of("prompts/get"), null);
                span.promptName = "daily_briefing";
                span.promptTokens = 140;
                span.costUsd = 0.00042;
            } else if (i % 16 == 13) {
                span = Span.start(Span.KIND_SERVER, McpMethod.of("ping"), null);
            } else {
                span = Span.start(Span.KIND_SERVER, McpMethod.of("tools/call"), null);
                span.toolName = TOOLS[i % TOOLS.length];
                span.promptTokens = 300 + i;
                span.completionTokens = 20;
                span.costUsd = 0.0012;
                if (i % 5 == 0) {
                    span.failRpc(-32603, "boom");
                } else if (i % 7 == 0) {
                    span.status = Span.STATUS_ERROR;
                    span.errorType = "tool_error";
                }
            }
            if (i % 4 == 1) { // what a tool that uses the enrichment API says
                Enrichment.confidence(span, i % 8 == 1 ? 0.3 : 0.9);
                Enrichment.confidenceGate(span, 0.5, i % 8 == 1);
                Enrichment.shadowAgreement(span, i % 3 != 0);
                Enrichment.promptDiffScore(span, 0.1);
            }
            span.transport = i % 2 == 0 ? Transports.STDIO : Transports.STREAMABLE_HTTP;
            span.protocolVersion = "2025-06-18";
            span.end();
            span.endNanos = span.startNanos + (i * 7_919_000L) % 3_000_000_000L; // 0 to 3 s, across the buckets
            spans[i] = span;
            String name = span.toolName != null ? span.toolName : span.promptName;
            names[i] = name == null ? null : name.toCharArray();
        }
        now = System.nanoTime();
        rates = new RateRecorder(RateSettings.DEFAULTS, now - 3_600_000_000_000L); // an agent up for an hour
        for (Span span : spans) {
            metrics.record(span); // the series exist: what a server's steady state looks like
            rates.record(span, now);
        }
    }

    @Benchmark
    public Span recordSpan() {
        Span span = spans[next++ & (SHAPES - 1)];
        metrics.record(span);
        return span;
    }

    @Benchmark
    public Span recordSpanFreshNames() {
        int i = next++ & (SHAPES - 1);
        Span span = spans[i];
        freshName(span, i);
        metrics.record(span);
        return span;
    }

    @Benchmark
    public Span freshNamesOnly() {
        int i = next++ & (SHAPES - 1);
        Span span = spans[i];
        freshName(span, i);
        return span;
    }

    private void freshName(Span span, int i) {
        if (names[i] != null) {
            String name = new String(names[i]);
            if (span.toolName != null) {
                span.toolName = name;
            } else {
                span.promptName = name;
            }
        }
    }

    @Benchmark
    public Span recordSpanRates() {
        Span span = spans[next++ & (SHAPES - 1)];
        rates.record(span, now);
        return span;
    }

    @Benchmark
    public Span recordSpanMetricsAndRates() {
        Span span = spans[next++ & (SHAPES - 1)];
        metrics.record(span);
        rates.record(span, now);
        return span;
    }

    @Benchmark
    public RatesSnapshot publishRates() {
        return rates.publish(now, 0, 0);
    }

    @Benchmark
    public String scrape() {
        return metrics.registry().prometheusText();
    }
}
