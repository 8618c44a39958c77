package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.Transports;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.SpanPipeline;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Param;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * Cost of recording one span on the application thread, with the pipeline's drainer running, against a floor measured
 * in the same run: two {@code nanoTime()}, one span-sized allocation and one offer to the same JCTools queue class,
 * drained by a background thread.
 *
 * <p>Every benchmark hands its object to a queue that another thread empties, so nothing can be eliminated; each also
 * returns it. A full queue makes {@code offer} fail fast, so drops are counted and printed on stderr after every
 * iteration and at the end of the trial. {@code capacity} defaults to the agent's own ({@code observatory.buffer.capacity},
 * 8192): what an application thread meets. Back to back, a producer records some 10 million spans a second, faster than
 * the drainer (~100 ns a span), so a few per cent are dropped. With a much larger queue ({@code -p capacity=524288}, the
 * default here until RESULTS.md section 23) a full queue keeps half a million spans live through every young collection,
 * and the producer pays for copying them: 2x the score and a 40 % error.
 *
 * <p>{@code -p work=N} puts {@code Blackhole.consumeCPU(N)} of "request work" before each span, so the producer runs
 * below the drainer's throughput as a server would; {@code pacingOnly} measures that work alone, to subtract.
 * See RESULTS.md.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
// A fixed heap, touched at start: on this VM the first write to a fresh heap page costs ~10 us in the kernel, paid by
// the allocating (benchmark) thread; a heap that G1 grows mid-run put whole iterations at 5-10x the steady cost
// (RESULTS.md section 10). -jvmArgsAppend on the command line replaces these.
@Fork(value = 1, jvmArgsAppend = {"-Xms1g", "-Xmx1g", "-XX:+AlwaysPreTouch"})
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
public class SpanRecordingBenchmark {

    static final int BATCH_SIZE = 1000;
    static final long INTERVAL_MILLIS = 1000;

    /** The size of a {@link Span} with compressed oops (12-byte header, 192 bytes in all): 22 longs. */
    public static final class FloorSpan {
        long startNanos;
        long endNanos;
        long f2;
        long f3;
        long f4;
        long f5;
        long f6;
        long f7;
        long f8;
        long f9;
        long f10;
        long f11;
        long f12;
        long f13;
        long f14;
        long f15;
        long f16;
        long f17;
        long f18;
        long f19;
        long f20;
        long f21;
    }

    /** The floor's queue and its drainer: drains whatever is there, reads each element, naps ~10 us when empty. */
    @State(Scope.Benchmark)
    public static class FloorState {
        @Param({"8192"})
        public int capacity;

        /** Blackhole.consumeCPU tokens of "request work" before each span (0: back to back); see pacingOnly. */
        @Param({"0"})
        public int work;

        MpscAtomicArrayQueue<FloorSpan> queue;
        volatile boolean running;
        Thread drainer;
        volatile long drained;
        volatile long checksum;
        long droppedAtIterationStart;
        final java.util.concurrent.atomic.LongAdder dropped = new java.util.concurrent.atomic.LongAdder();

        @Setup(Level.Trial)
        public void start() {
            queue = new MpscAtomicArrayQueue<>(capacity);
            running = true;
            drainer = new Thread(this::drainLoop, "floor-drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        private void drainLoop() {
            long count = 0;
            long sum = 0;
            while (running) {
                FloorSpan s;
                int taken = 0;
                while ((s = queue.relaxedPoll()) != null) {
                    sum += s.endNanos - s.startNanos; // touch the object, as the summary reads the span
                    taken++;
                }
                count += taken;
                if (taken == 0) {
                    drained = count;
                    LockSupport.parkNanos(this, 10_000);
                }
            }
            drained = count;
            checksum = sum;
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            droppedAtIterationStart = dropped.sum();
        }

        @TearDown(Level.Iteration)
        public void reportIteration() {
            long d = dropped.sum() - droppedAtIterationStart;
            if (d != 0) {
                System.err.println("[floor] dropped (queue full) this iteration: " + d);
            }
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            drainer.join(5000);
            System.err.println("[floor] capacity " + capacity + ": drained " + drained + ", dropped (queue full) "
                    + dropped.sum());
        }
    }

    /** A started SpanPipeline with an exporter that discards: the drainer batches and summarises, no I/O. */
    @State(Scope.Benchmark)
    public static class PipelineState {
        @Param({"8192"})
        public int capacity;

        /** Blackhole.consumeCPU tokens of "request work" before each span (0: back to back); see pacingOnly. */
        @Param({"0"})
        public int work;

        SpanPipeline pipeline;
        long droppedAtIterationStart;
        long recordedAtIterationStart;

        // Values a server span carries; in the agent they are references to strings the SDK or the session holds.
        final McpMethod method = McpMethod.TOOLS_CALL;
        final String toolName = "get_forecast";
        final Object requestId = Integer.valueOf(4711);
        final String sessionId = "3f2a9c1e-5d7b-4e8a-9c0f-1b2d3e4f5a6b";
        final String transport = Transports.STDIO;
        final String clientName = "bench-client";
        final String clientVersion = "1.4.2";
        final String protocolVersion = "2025-06-18";

        @Setup(Level.Trial)
        public void start() {
            pipeline = new SpanPipeline(SpanExporter.NONE, capacity, BATCH_SIZE, INTERVAL_MILLIS).start();
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            droppedAtIterationStart = pipeline.droppedQueueFull();
            recordedAtIterationStart = pipeline.recorded();
        }

        @TearDown(Level.Iteration)
        public void reportIteration() {
            long d = pipeline.droppedQueueFull() - droppedAtIterationStart;
            if (d != 0) {
                System.err.println("[pipeline] dropped (queue full) this iteration: " + d + " of "
                        + (pipeline.recorded() - recordedAtIterationStart));
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            report("pipeline", pipeline);
        }
    }

    /** The pipeline installed in the Bridge, and one stdio session that went through initialize. */
    @State(Scope.Benchmark)
    public static class BridgeState {
        @Param({"8192"})
        public int capacity;

        /** Blackhole.consumeCPU tokens of "request work" before each span (0: back to back); see pacingOnly. */
        @Param({"0"})
        public int work;

        SpanPipeline pipeline;
        long droppedAtIterationStart;
        long recordedAtIterationStart;

        final SdkShapes.Session session = new SdkShapes.Session("3f2a9c1e-5d7b-4e8a-9c0f-1b2d3e4f5a6b");
        final SdkShapes.StdioSessionTransport sessionTransport = new SdkShapes.StdioSessionTransport();
        final SdkShapes.Request request = SdkShapes.toolCall(4711, "get_forecast");
        final SdkShapes.Response response = SdkShapes.toolResult(4711);

        @Setup(Level.Trial)
        public void start() {
            pipeline = new SpanPipeline(SpanExporter.NONE, capacity, BATCH_SIZE, INTERVAL_MILLIS).start();
            Bridge.install(pipeline);
            // The session learns its client at initialize; later spans copy it.
            Span init = Bridge.sessionMessage(session, sessionTransport, SdkShapes.initialize(0));
            Bridge.completed(init, SdkShapes.initializeResult(0));
            Span probe = Bridge.sessionMessage(session, sessionTransport, request);
            Bridge.completed(probe, response);
            if (!"tools/call get_forecast".equals(probe.name()) || !"bench-client".equals(probe.clientName)
                    || !"stdio".equals(probe.transport) || !"ok".equals(probe.status) || !probe.isEnded()
                    || !"2025-06-18".equals(probe.protocolVersion)
                    || !session.getId().equals(probe.sessionId) || !Integer.valueOf(4711).equals(probe.requestId)) {
                throw new IllegalStateException("the bridge did not read the stand-ins as SDK objects");
            }
        }

        @Setup(Level.Iteration)
        public void markIteration() {
            droppedAtIterationStart = pipeline.droppedQueueFull();
            recordedAtIterationStart = pipeline.recorded();
        }

        @TearDown(Level.Iteration)
        public void reportIteration() {
            long d = pipeline.droppedQueueFull() - droppedAtIterationStart;
            if (d != 0) {
                System.err.println("[bridge] dropped (queue full) this iteration: " + d + " of "
                        + (pipeline.recorded() - recordedAtIterationStart));
            }
        }

        @TearDown(Level.Trial)
        public void stop() {
            Bridge.install(null);
            report("bridge", pipeline);
        }
    }

    static void report(String label, SpanPipeline pipeline) {
        boolean finished = pipeline.shutdown(10_000);
        long recorded = pipeline.recorded(); // exact once the drainer has stopped
        System.err.println("[" + label + "] recorded " + recorded
                + ", exported " + pipeline.exported() + ", droppedQueueFull " + pipeline.droppedQueueFull()
                + ", drainer finished " + finished);
    }

    /** Thread-local drop counter for the floor (only touched when an offer fails). */
    @State(Scope.Thread)
    public static class FloorDrops {
        long dropped;

        @TearDown(Level.Iteration)
        public void flush(FloorState floor) {
            floor.dropped.add(dropped);
            dropped = 0;
        }
    }

    /** The request work alone, to subtract from the paced runs ({@code -p work=N}). */
    @State(Scope.Benchmark)
    public static class Pacing {
        @Param({"0"})
        public int work;
    }

    @Benchmark
    public void pacingOnly(Pacing pacing) {
        Blackhole.consumeCPU(pacing.work);
    }

    @Benchmark
    public FloorSpan floor(FloorState floor, FloorDrops drops) {
        if (floor.work > 0) {
            Blackhole.consumeCPU(floor.work);
        }
        FloorSpan span = new FloorSpan();
        span.startNanos = System.nanoTime();
        span.endNanos = System.nanoTime();
        if (!floor.queue.offer(span)) {
            drops.dropped++;
        }
        return span;
    }

    /** What the agent does per request on the application thread, minus reading the SDK objects. */
    @Benchmark
    public Span recordSpan(PipelineState s) {
        if (s.work > 0) {
            Blackhole.consumeCPU(s.work);
        }
        Span span = Span.start(Span.KIND_SERVER, s.method, null);
        span.toolName = s.toolName;
        span.requestId = s.requestId;
        span.sessionId = s.sessionId;
        span.transport = s.transport;
        span.clientName = s.clientName;
        span.clientVersion = s.clientVersion;
        span.protocolVersion = s.protocolVersion;
        if (span.end()) {
            s.pipeline.accept(span);
        }
        return span;
    }

    /** The advice path: the session's handleIncomingRequest, then the completion of the Mono with the response. */
    @Benchmark
    public Span bridgeServerSpan(BridgeState s) {
        if (s.work > 0) {
            Blackhole.consumeCPU(s.work);
        }
        Span span = Bridge.sessionMessage(s.session, s.sessionTransport, s.request);
        Bridge.completed(span, s.response);
        return span;
    }
}
