package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.SpanPipeline;
import java.lang.management.ManagementFactory;
import java.lang.management.ThreadMXBean;

/**
 * The drainer's CPU time per span (metrics, decision rates, exit summary; the discarding exporter), read from the
 * drainer thread's own CPU clock while one producer records server tools/call spans below the drainer's rate (a pause of
 * 0.3 ms every 1,024 spans), alternating between two tools every 64 spans. A CPU clock, not a wall clock: other
 * processes on the machine stretch a JMH score, much less a thread's CPU time. It is what decides whether a producer
 * flat out (SpanRecordingBenchmark.recordSpan, ~100 ns a span) fills the queue.
 *
 * <p>{@code java -Xms1g -Xmx1g -cp benchmarks/target/benchmarks.jar io.mcpobservatory.benchmarks.DrainerCpuPerSpan
 * [spans per round, 2000000] [rounds, 4]}; the first round is warm-up.
 */
public final class DrainerCpuPerSpan {

    private DrainerCpuPerSpan() {
    }

    public static void main(String[] args) throws Exception {
        long spans = args.length > 0 ? Long.parseLong(args[0]) : 2_000_000;
        int rounds = args.length > 1 ? Integer.parseInt(args[1]) : 4;
        SpanPipeline pipeline = new SpanPipeline(SpanExporter.NONE, 1 << 19, 1000, 1000).start();
        Thread drainer = Thread.getAllStackTraces().keySet().stream()
                .filter(t -> t.getName().contains("drainer")).findFirst().orElseThrow();
        ThreadMXBean threads = ManagementFactory.getThreadMXBean();
        String[] tools = {"get_forecast", "search"};
        for (int round = 0; round < rounds; round++) {
            long cpuBefore = threads.getThreadCpuTime(drainer.getId());
            long droppedBefore = pipeline.droppedQueueFull();
            for (long i = 0; i < spans; i++) {
                Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
                span.toolName = tools[(int) (i >> 6) & 1];
                span.requestId = 4711;
                span.sessionId = "3f2a9c1e-5d7b-4e8a-9c0f-1b2d3e4f5a6b";
                span.transport = Transports.STDIO;
                span.clientName = "bench-client";
                span.clientVersion = "1.4.2";
                span.protocolVersion = "2025-06-18";
                if (span.end()) {
                    pipeline.accept(span);
                }
                if ((i & 1023) == 0) {
                    long until = System.nanoTime() + 300_000;
                    while (System.nanoTime() < until) {
                        Thread.onSpinWait();
                    }
                }
            }
            while (pipeline.queueDepth() > 0) {
                Thread.sleep(1);
            }
            Thread.sleep(1_100); // the last batch waits for the export interval
            long cpu = threads.getThreadCpuTime(drainer.getId()) - cpuBefore;
            System.out.printf("round %d%s: drainer %.1f ns CPU a span, %d dropped%n", round,
                    round == 0 ? " (warm-up)" : "", (double) cpu / spans, pipeline.droppedQueueFull() - droppedBefore);
        }
        pipeline.shutdown(5_000);
    }
}
