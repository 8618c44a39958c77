package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.Accessors;
import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.bootstrap.WeakIdentityMap;
import io.mcpobservatory.export.SpanExporter;
import io.mcpobservatory.export.SpanPipeline;
import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.LongAdder;
import java.util.concurrent.locks.LockSupport;
import org.jctools.queues.atomic.MpscAtomicArrayQueue;
import org.openjdk.jmh.annotations.Benchmark;
import org.openjdk.jmh.annotations.BenchmarkMode;
import org.openjdk.jmh.annotations.Fork;
import org.openjdk.jmh.annotations.Level;
import org.openjdk.jmh.annotations.Measurement;
import org.openjdk.jmh.annotations.Mode;
import org.openjdk.jmh.annotations.OutputTimeUnit;
import org.openjdk.jmh.annotations.Scope;
import org.openjdk.jmh.annotations.Setup;
import org.openjdk.jmh.annotations.State;
import org.openjdk.jmh.annotations.TearDown;
import org.openjdk.jmh.annotations.Threads;
import org.openjdk.jmh.annotations.Warmup;
import org.openjdk.jmh.infra.Blackhole;

/**
 * The pieces of the recording path, one by one, to see where {@code recordSpan} and {@code bridgeServerSpan} spend their
 * time. Single-threaded, no drainer unless said. The {@code alt*} benchmarks are not project code: they measure what a
 * different way of reading SDK objects would cost, to size a fix.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(1)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class RecordingBreakdownBenchmark {

    final SdkShapes.Session session = new SdkShapes.Session("3f2a9c1e-5d7b-4e8a-9c0f-1b2d3e4f5a6b");
    final SdkShapes.StdioSessionTransport sessionTransport = new SdkShapes.StdioSessionTransport();
    final SdkShapes.Request request = SdkShapes.toolCall(4711, "get_forecast");
    final SdkShapes.Response response = SdkShapes.toolResult(4711);
    final Object requestAsObject = request;

    final LongAdder adder = new LongAdder();
    final WeakIdentityMap<Object, String> weakMap = new WeakIdentityMap<>();
    final Span endedSpan = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);

    // Alternatives for reading a record component, cached per class and name as Accessors does.
    final Map<String, Method> methodCache = new ConcurrentHashMap<>();
    final Map<String, MethodHandle> handleCache = new ConcurrentHashMap<>();
    static final ClassValue<MethodHandle> METHOD_HANDLE = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> type) {
            try {
                return MethodHandles.publicLookup()
                        .findVirtual(type, "method", MethodType.methodType(String.class))
                        .asType(MethodType.methodType(Object.class, Object.class));
            } catch (ReflectiveOperationException e) {
                throw new IllegalStateException(e);
            }
        }
    };

    SpanPipeline pipeline;

    /** 192 bytes, like a span, with a volatile int ended on a field updater, like Span. */
    public static final class CasTarget {
        volatile int ended;
        long startNanos;
        long f1;
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

    static final java.util.concurrent.atomic.AtomicIntegerFieldUpdater<CasTarget> CAS_ENDED =
            java.util.concurrent.atomic.AtomicIntegerFieldUpdater.newUpdater(CasTarget.class, "ended");

    /** A drop-in shape for Accessors.call: MethodHandles (Object)Object per class and name, plain get on the hit path. */
    static final ClassValue<Map<String, MethodHandle>> HANDLES = new ClassValue<>() {
        @Override
        protected Map<String, MethodHandle> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    static Object handleCall(Object target, String name) {
        Map<String, MethodHandle> handles = HANDLES.get(target.getClass());
        MethodHandle handle = handles.get(name);
        if (handle == null) {
            handle = handles.computeIfAbsent(name, n -> findHandle(target.getClass(), n));
        }
        try {
            return (Object) handle.invokeExact(target);
        } catch (Throwable e) {
            return null;
        }
    }

    static MethodHandle findHandle(Class<?> type, String name) {
        try {
            Method m = type.getMethod(name);
            m.setAccessible(true);
            return MethodHandles.publicLookup().unreflect(m).asType(MethodType.methodType(Object.class, Object.class));
        } catch (ReflectiveOperationException e) {
            return MethodHandles.dropArguments(MethodHandles.constant(Object.class, null), 0, Object.class);
        }
    }

    @Setup(Level.Trial)
    public void setUp() throws Exception {
        weakMap.put(session, "info");
        endedSpan.end();
        Method m = SdkShapes.Request.class.getMethod("method");
        m.setAccessible(true);
        methodCache.put("method", m);
        handleCache.put("method", METHOD_HANDLE.get(SdkShapes.Request.class));
        // Make the reflective paths as polymorphic as in a server, where Accessors reads many SDK record types.
        Object[] others = {SdkShapes.toolResult(1), SdkShapes.initialize(2), new SdkShapes.RpcError(-1, "x", null),
            new SdkShapes.TextContent("text", "x"), new SdkShapes.CallToolResult(null, false), session};
        for (int i = 0; i < 20_000; i++) {
            for (Object o : others) {
                Accessors.call(o, "id");
                Accessors.call(o, "message");
                Accessors.call(o, "text");
                Accessors.call(o, "getId");
                Accessors.call(o, "isError");
                handleCall(o, "id");
                handleCall(o, "message");
                handleCall(o, "isError");
            }
        }
        pipeline = new SpanPipeline(SpanExporter.NONE, 524288, 1000, 1000).start();
        Bridge.install(pipeline);
        Span init = Bridge.sessionMessage(session, sessionTransport, SdkShapes.initialize(0));
        Bridge.completed(init, SdkShapes.initializeResult(0));
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        Bridge.install(null);
        SpanRecordingBenchmark.report("breakdown", pipeline);
    }

    // ----- recordSpan, piece by piece

    @Benchmark
    public long nanoTime() {
        return System.nanoTime();
    }

    /** The floor without its offer: two nanoTime() and a 192-byte allocation. */
    @Benchmark
    public SpanRecordingBenchmark.FloorSpan floorWithoutOffer() {
        SpanRecordingBenchmark.FloorSpan span = new SpanRecordingBenchmark.FloorSpan();
        span.startNanos = System.nanoTime();
        span.endNanos = System.nanoTime();
        return span;
    }

    /** A fresh 192-byte object, then one CAS on it (as Span.end() does): the locked instruction's cost here. */
    @Benchmark
    public CasTarget allocThenCas() {
        CasTarget t = new CasTarget();
        t.startNanos = System.nanoTime();
        CAS_ENDED.compareAndSet(t, 0, 1);
        return t;
    }

    /** The same with a plain write instead of the CAS. */
    @Benchmark
    public CasTarget allocThenPlainWrite() {
        CasTarget t = new CasTarget();
        t.startNanos = System.nanoTime();
        t.ended = 1;
        return t;
    }

    @Benchmark
    public Span spanNew() {
        return new Span();
    }

    @Benchmark
    public long threeRandomLongs() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return random.nextLong() ^ random.nextLong() ^ random.nextLong();
    }

    @Benchmark
    public Span spanStart() {
        return Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
    }

    @Benchmark
    public Span spanStartEnd() {
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        span.end();
        return span;
    }

    @Benchmark
    public void longAdderIncrement() {
        adder.increment();
    }

    /** accept() of one already-ended span again and again: the counter and the offer, with the drainer running. */
    @Benchmark
    public void pipelineAcceptSameSpan() {
        pipeline.accept(endedSpan);
    }

    /** A bare queue with the floor's drainer, for recordSpan without the pipeline (no LongAdder, no summary). */
    @State(Scope.Benchmark)
    public static class BareSpanQueue {
        final MpscAtomicArrayQueue<Span> queue = new MpscAtomicArrayQueue<>(524288);
        volatile boolean running = true;
        final LongAdder recorded = new LongAdder();
        long dropped;
        Thread drainer;

        @Setup(Level.Trial)
        public void start() {
            drainer = new Thread(() -> {
                long sum = 0;
                while (running) {
                    Span s;
                    int taken = 0;
                    while ((s = queue.relaxedPoll()) != null) {
                        sum += s.endNanos - s.startNanos;
                        taken++;
                    }
                    if (taken == 0) {
                        LockSupport.parkNanos(this, 10_000);
                    }
                }
                if (sum == 42) {
                    System.err.print("");
                }
            }, "bare-span-drainer");
            drainer.setDaemon(true);
            drainer.start();
        }

        @TearDown(Level.Trial)
        public void stop() throws InterruptedException {
            running = false;
            drainer.join(5000);
            System.err.println("[bare span queue] dropped (queue full) " + dropped);
        }
    }

    /** recordSpan's span (start, seven fields, end) offered to a bare queue drained like the floor's. */
    @Benchmark
    public Span recordSpanOnBareQueue(BareSpanQueue bare) {
        Span span = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        span.toolName = "get_forecast";
        span.requestId = REQUEST_ID;
        span.sessionId = "3f2a9c1e-5d7b-4e8a-9c0f-1b2d3e4f5a6b";
        span.transport = "stdio";
        span.clientName = "bench-client";
        span.clientVersion = "1.4.2";
        span.protocolVersion = "2025-06-18";
        if (span.end() && !bare.queue.offer(span)) {
            bare.dropped++;
        }
        return span;
    }

    static final Object REQUEST_ID = Integer.valueOf(4711);

    /** pipelineAcceptSameSpan's work (a LongAdder increment and an offer) on the bare queue and its light drainer. */
    @Benchmark
    public void bareAcceptSameSpan(BareSpanQueue bare) {
        bare.recorded.increment();
        if (!bare.queue.offer(endedSpan)) {
            bare.dropped++;
        }
    }

    // ----- bridgeServerSpan, piece by piece

    @Benchmark
    public Span bridgeSessionMessageOnly() {
        return Bridge.sessionMessage(session, sessionTransport, request); // never ended, never queued
    }

    @Benchmark
    public Object weakIdentityMapGet() {
        return weakMap.get(session);
    }

    @Benchmark
    public Object accessorsCall() {
        return Accessors.call(requestAsObject, "method");
    }

    @Benchmark
    public Object accessorsParamOfMap() {
        return Accessors.param(request.params(), "name");
    }

    @Benchmark
    public void sixAccessorReads(Blackhole bh) { // the reads of one tools/call span: 3 of the request, 3 of the response
        bh.consume(Accessors.call(requestAsObject, "method"));
        bh.consume(Accessors.call(requestAsObject, "id"));
        bh.consume(Accessors.call(requestAsObject, "params"));
        bh.consume(Accessors.call(response, "error"));
        Object result = Accessors.call(response, "result");
        bh.consume(Accessors.param(result, "isError"));
    }

    // ----- alternatives, to size a fix of Accessors

    /** The floor of reading a component: a direct call. */
    @Benchmark
    public Object altDirect() {
        return request.method();
    }

    /** Method.invoke from a plain get() of a cache, without the capturing lambda of computeIfAbsent. */
    @Benchmark
    public Object altMethodInvokeNoCapture() throws Exception {
        return methodCache.get("method").invoke(requestAsObject);
    }

    /** A MethodHandle (Object)Object from a ClassValue, invoked with invokeExact. */
    @Benchmark
    public Object altMethodHandleFromClassValue() throws Throwable {
        return (Object) METHOD_HANDLE.get(requestAsObject.getClass()).invokeExact(requestAsObject);
    }

    /** The six reads of sixAccessorReads through handleCall. */
    @Benchmark
    public void altSixHandleReads(Blackhole bh) {
        bh.consume(handleCall(requestAsObject, "method"));
        bh.consume(handleCall(requestAsObject, "id"));
        bh.consume(handleCall(requestAsObject, "params"));
        bh.consume(handleCall(response, "error"));
        Object result = handleCall(response, "result");
        bh.consume(result instanceof Map ? ((Map<?, ?>) result).get("isError") : handleCall(result, "isError"));
    }

    /** A MethodHandle from a map cache (not constant), invoked with invokeExact. */
    @Benchmark
    public Object altMethodHandleFromMap() throws Throwable {
        return (Object) handleCache.get("method").invokeExact(requestAsObject);
    }
}
