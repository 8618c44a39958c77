package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.SpanPipeline;
import java.lang.management.ManagementFactory;
import java.lang.management.MemoryMXBean;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import org.HdrHistogram.Histogram;

/**
 * Heap retained by a {@link SpanPipeline} whose buffer is full: the exporter blocks on its first batch, so the drainer
 * holds one batch ({@code batchSize} spans) and the queue fills to {@code capacity}. Retained heap is measured as the
 * difference of heap used after repeated {@link System#gc()} (no extra dependency such as JOL), for two kinds of spans:
 *
 * <ul>
 *   <li>{@code as-recorded}: what the agent keeps for a server span: per-request strings (method, tool name, request id)
 *   are their own objects, as the SDK's JSON parser makes them; per-session strings (session id, client name and version,
 *   protocol version) are shared by the spans of a session; kind, status, transport are constants.</li>
 *   <li>{@code all-distinct}: the upper bound: every one of the ~10 string fields is a string of its own.</li>
 * </ul>
 *
 * In both, one span in ten is an error with its own error type and a 40-character error message.
 *
 * <p>Run: {@code java -cp benchmarks/target/benchmarks.jar io.mcpobservatory.benchmarks.PipelineHeapBenchmark [capacity]
 * [batchSize]}. Not a JMH benchmark: JMH measures time per operation, this measures a steady state once.
 */
public final class PipelineHeapBenchmark {

    private static final MemoryMXBean MEMORY = ManagementFactory.getMemoryMXBean();
    private static final String[] TOOLS = {"get_forecast", "search_archive", "get_alerts", "book_flight", "convert"};
    private static final int SESSIONS = 16;
    /** Summary rows the filled pipeline holds: one for the method, one per tool. */
    private static final int SUMMARY_ROWS = 1 + 5;
    private static double histogramBytes;

    private PipelineHeapBenchmark() {
    }

    /** An exporter that blocks the drainer on the first batch until released: the pipeline backs up. */
    static final class BlockingExporter implements SpanExporter {
        final CountDownLatch entered = new CountDownLatch(1);
        final CountDownLatch release = new CountDownLatch(1);

        @Override
        public void export(List<Span> batch) {
            entered.countDown();
            try {
                release.await();
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
        }

        @Override
        public String describe() {
            return "blocking";
        }
    }

    /** Session-level strings, shared by the spans of a session in the as-recorded case. */
    record SessionStrings(String sessionId, String clientName, String clientVersion, String protocolVersion) {
    }

    public static void main(String[] args) throws Exception {
        int capacity = args.length > 0 ? Integer.parseInt(args[0]) : 8192;
        int batchSize = args.length > 1 ? Integer.parseInt(args[1]) : 1000;
        System.out.printf(Locale.ROOT, "JVM %s %s, GC %s, max heap %d MB, capacity %d, batch %d%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"), gcNames(),
                Runtime.getRuntime().maxMemory() >> 20, capacity, batchSize);

        fill(256, 100, false, 0); // warm-up: class loading and static state out of the measurement
        histogramBytes = histogramBytes();
        System.out.printf(Locale.ROOT, "one ExitSummary row histogram: %.0f bytes%n", histogramBytes);

        for (int round = 1; round <= 2; round++) {
            for (boolean allDistinct : new boolean[] {false, true}) {
                fill(capacity, batchSize, allDistinct, round);
            }
        }
    }

    private static void fill(int capacity, int batchSize, boolean allDistinct, int round) throws Exception {
        SessionStrings[] sessions = new SessionStrings[SESSIONS];
        for (int i = 0; i < SESSIONS; i++) {
            sessions[i] = new SessionStrings(String.format(Locale.ROOT, "%08x-5d7b-4e8a-9c0f-1b2d3e4f5a6b", i),
                    "claude-code", "1.0.43", "2025-06-18");
        }
        long base = usedAfterGc();

        BlockingExporter exporter = new BlockingExporter();
        SpanPipeline pipeline = new SpanPipeline(exporter, capacity, batchSize, 1000).start();
        long empty = usedAfterGc();

        long n = 0;
        while (exporter.entered.getCount() > 0) { // the drainer takes one batch and blocks in export
            pipeline.accept(span(n++, sessions, allDistinct));
            if (n % batchSize == 0) {
                exporter.entered.await(10, TimeUnit.MILLISECONDS);
            }
        }
        while (pipeline.droppedQueueFull() == 0) {
            pipeline.accept(span(n++, sessions, allDistinct));
        }
        long retainedSpans = pipeline.recorded() - pipeline.droppedQueueFull();
        long full = usedAfterGc();

        if (round > 0) {
            long summaryBytes = Math.round(SUMMARY_ROWS * histogramBytes);
            long spansBytes = full - empty - summaryBytes;
            System.out.printf(Locale.ROOT,
                    "round %d %-12s: queue depth %d + %d held by the drainer = %d spans | total retained %,d B "
                            + "(%.2f MB) = empty pipeline %,d B + summary rows ~%,d B + spans %,d B = %.0f B/span%n",
                    round, allDistinct ? "all-distinct" : "as-recorded", pipeline.queueDepth(),
                    retainedSpans - pipeline.queueDepth(), retainedSpans, full - base, (full - base) / 1048576.0,
                    empty - base, summaryBytes, spansBytes, (double) spansBytes / retainedSpans);
        }
        exporter.release.countDown();
        pipeline.shutdown(10_000);
    }

    /** A server span as the agent leaves it at the end of a request. */
    private static Span span(long n, SessionStrings[] sessions, boolean allDistinct) {
        SessionStrings session = sessions[(int) (n % SESSIONS)];
        String tool = TOOLS[(int) (n % TOOLS.length)];
        Span span = Span.start(copy(Span.KIND_SERVER, allDistinct), McpMethod.of(fresh("tools/call")), null);
        span.toolName = fresh(tool);
        span.requestId = session.sessionId.substring(0, 8) + "-" + n; // the SDK's client ids are strings like this
        span.sessionId = copy(session.sessionId, allDistinct);
        span.transport = copy(Transports.STREAMABLE_HTTP, allDistinct);
        span.clientName = copy(session.clientName, allDistinct);
        span.clientVersion = copy(session.clientVersion, allDistinct);
        span.protocolVersion = copy(session.protocolVersion, allDistinct);
        if (n % 10 == 7) {
            span.failRpc(-32603, fresh("Internal error: upstream timed out (504)")); // 40 chars
        }
        span.end();
        if (allDistinct) {
            span.status = new String(span.status);
        }
        return span;
    }

    private static String copy(String s, boolean distinct) {
        return distinct ? fresh(s) : s;
    }

    /** A string with its own byte array, as a JSON parser makes it ({@code new String(String)} would share the array). */
    private static String fresh(String s) {
        return new String(s.toCharArray());
    }

    /** Size of one summary row's histogram (the summary holds one per method and per tool, at most 200 of each). */
    private static double histogramBytes() {
        long before = usedAfterGc();
        List<Histogram> keep = new ArrayList<>();
        for (int i = 0; i < 100; i++) {
            keep.add(new Histogram(3_600_000_000L, 2));
        }
        long after = usedAfterGc();
        if (keep.size() != 100) {
            throw new AssertionError();
        }
        return (after - before) / 100.0;
    }

    private static long usedAfterGc() {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            try {
                Thread.sleep(50);
            } catch (InterruptedException e) {
                Thread.currentThread().interrupt();
            }
            best = Math.min(best, MEMORY.getHeapMemoryUsage().getUsed());
        }
        return best;
    }

    private static String gcNames() {
        StringBuilder names = new StringBuilder();
        for (var gc : ManagementFactory.getGarbageCollectorMXBeans()) {
            names.append(names.length() == 0 ? "" : "+").append(gc.getName());
        }
        return names.toString();
    }
}
