package io.mcpobservatory.benchmarks;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import io.mcpobservatory.bootstrap.WeakIdentityMap;
import java.lang.management.ManagementFactory;
import java.lang.ref.Reference;
import java.util.Locale;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import java.util.function.Function;
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

/**
 * {@link WeakIdentityMap} against weak-keyed concurrent maps from libraries, in the ways the bridge uses it on a
 * request thread (see RESULTS.md, "Weak identity map"):
 *
 * <ul>
 *   <li>{@code getHit}: a {@code get} of a live key in a map of {@value #LIVE_KEYS} live keys (a session's state);</li>
 *   <li>{@code computeIfAbsentHit}: the same through {@code computeIfAbsent}, as the bridge reads a session's state;</li>
 *   <li>{@code toolsCall}: {@code put} of a fresh params object, {@code get}, {@code remove} (a tools/call);</li>
 *   <li>{@code churn}: {@code put} and {@code get} of a fresh key that is never removed and becomes unreachable, so the
 *   map stays bounded only if the entries of collected keys are expunged; the entries left after each iteration are
 *   printed.</li>
 * </ul>
 *
 * Candidates ({@code -p impl=...}): {@code ours}; {@code weakLockFree}, {@code com.blogspot.mydailyjava:weak-lock-free}
 * 0.18 with inlined expunction; {@code weakLockFreeCleaner}, the same map as the Elastic APM agent uses it (no inlined
 * expunction, one thread expunging every second); {@code otel}, the copy of that map in
 * {@code opentelemetry-instrumentation-api} (what its {@code Cache.weak()} wraps: one reference queue for all maps,
 * expunged on every operation); {@code caffeine}, {@code Caffeine.newBuilder().weakKeys()}.
 *
 * <p>{@link #main} measures memory instead: retained bytes per entry, and the entries of collected keys that are still
 * retained when the map is only read. Run: {@code java -cp benchmarks/target/benchmarks.jar
 * io.mcpobservatory.benchmarks.WeakMapBenchmark [entries]}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class WeakMapBenchmark {

    static final int LIVE_KEYS = 128;
    static final String[] IMPLS = {"ours", "weakLockFree", "weakLockFreeCleaner", "otel", "caffeine"};

    /** A tools/call params object: a record, so equal-by-value objects are distinct keys (identity, not equals). */
    public record Params(String name, Object arguments) {
    }

    @Param({"ours", "weakLockFree", "weakLockFreeCleaner", "otel", "caffeine"})
    public String impl;

    Candidate map;
    final Params[] live = new Params[LIVE_KEYS];
    final Object value = new Object();
    final Function<Object, Object> factory = key -> new Object();

    /** Per benchmark thread: where it is in the live keys. */
    @State(Scope.Thread)
    public static class Cursor {
        int next;

        Params live(WeakMapBenchmark state) {
            return state.live[next++ & (LIVE_KEYS - 1)];
        }
    }

    @Setup(Level.Trial)
    public void setUp() {
        map = Candidate.create(impl);
        for (int i = 0; i < LIVE_KEYS; i++) {
            live[i] = new Params("get_forecast", i);
            map.put(live[i], value);
        }
    }

    @TearDown(Level.Iteration)
    public void reportSize() {
        System.out.println("[" + impl + "] entries after the iteration: " + map.size());
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        map.close();
    }

    @Benchmark
    public Object getHit(Cursor cursor) {
        return map.get(cursor.live(this));
    }

    @Benchmark
    public Object computeIfAbsentHit(Cursor cursor) {
        return map.computeIfAbsent(cursor.live(this), factory);
    }

    @Benchmark
    public Object toolsCall() {
        Params params = new Params("get_forecast", value);
        map.put(params, value);
        Object found = map.get(params);
        map.remove(params);
        return found;
    }

    @Benchmark
    public Object churn() {
        Params params = new Params("get_forecast", value);
        map.put(params, value);
        return map.get(params);
    }

    /** The operations the bridge needs, over each candidate; one implementation per JVM, so calls stay monomorphic. */
    abstract static class Candidate {
        abstract Object get(Object key);

        abstract Object computeIfAbsent(Object key, Function<Object, Object> factory);

        abstract void put(Object key, Object value);

        abstract Object remove(Object key);

        /** Entries, after whatever expunging the candidate does when asked its size. */
        abstract long size();

        void close() {
        }

        static Candidate create(String impl) {
            switch (impl) {
                case "ours":
                    return new Ours();
                case "weakLockFree":
                    return new WeakLockFree(new com.blogspot.mydailyjava.weaklockfree.WeakConcurrentMap
                            .WithInlinedExpunction<>(), false);
                case "weakLockFreeCleaner":
                    return new WeakLockFree(new com.blogspot.mydailyjava.weaklockfree.WeakConcurrentMap<>(false), true);
                case "otel":
                    return new Otel();
                case "caffeine":
                    return new CaffeineWeakKeys();
                default:
                    throw new IllegalArgumentException(impl);
            }
        }
    }

    static final class Ours extends Candidate {
        final WeakIdentityMap<Object, Object> map = new WeakIdentityMap<>();

        @Override
        Object get(Object key) {
            return map.get(key);
        }

        @Override
        Object computeIfAbsent(Object key, Function<Object, Object> factory) {
            return map.computeIfAbsent(key, factory);
        }

        @Override
        void put(Object key, Object value) {
            map.put(key, value);
        }

        @Override
        Object remove(Object key) {
            return map.remove(key);
        }

        @Override
        long size() {
            return map.size();
        }
    }

    /** weak-lock-free 0.18 has no computeIfAbsent: get, then putIfAbsent (a racing factory call is thrown away). */
    static final class WeakLockFree extends Candidate {
        final com.blogspot.mydailyjava.weaklockfree.WeakConcurrentMap<Object, Object> map;
        final ScheduledExecutorService cleaner;

        WeakLockFree(com.blogspot.mydailyjava.weaklockfree.WeakConcurrentMap<Object, Object> map, boolean cleaner) {
            this.map = map;
            this.cleaner = cleaner ? Executors.newSingleThreadScheduledExecutor(task -> {
                Thread thread = new Thread(task, "weak-map-cleaner");
                thread.setDaemon(true);
                return thread;
            }) : null;
            if (cleaner) {
                this.cleaner.scheduleWithFixedDelay(map::expungeStaleEntries, 1, 1, TimeUnit.SECONDS);
            }
        }

        @Override
        Object get(Object key) {
            return map.get(key); // WithInlinedExpunction expunges in get, not in getIfPresent
        }

        @Override
        Object computeIfAbsent(Object key, Function<Object, Object> factory) {
            Object value = map.get(key);
            if (value == null) {
                value = factory.apply(key);
                Object raced = map.putIfAbsent(key, value);
                return raced != null ? raced : value;
            }
            return value;
        }

        @Override
        void put(Object key, Object value) {
            map.put(key, value);
        }

        @Override
        Object remove(Object key) {
            return map.remove(key);
        }

        @Override
        long size() {
            return map.approximateSize();
        }

        @Override
        void close() {
            if (cleaner != null) {
                cleaner.shutdownNow();
            }
        }
    }

    static final class Otel extends Candidate {
        final io.opentelemetry.instrumentation.api.internal.cache.weaklockfree.WeakConcurrentMap<Object, Object> map =
                new io.opentelemetry.instrumentation.api.internal.cache.weaklockfree.WeakConcurrentMap
                        .WithInlinedExpunction<>();

        @Override
        Object get(Object key) {
            return map.getIfPresent(key);
        }

        @Override
        Object computeIfAbsent(Object key, Function<Object, Object> factory) {
            return map.computeIfAbsent(key, factory);
        }

        @Override
        void put(Object key, Object value) {
            map.put(key, value);
        }

        @Override
        Object remove(Object key) {
            return map.remove(key);
        }

        @Override
        long size() {
            return map.approximateSize();
        }
    }

    static final class CaffeineWeakKeys extends Candidate {
        final Cache<Object, Object> cache = Caffeine.newBuilder().weakKeys().build();

        @Override
        Object get(Object key) {
            return cache.getIfPresent(key);
        }

        @Override
        Object computeIfAbsent(Object key, Function<Object, Object> factory) {
            return cache.get(key, factory);
        }

        @Override
        void put(Object key, Object value) {
            cache.put(key, value);
        }

        @Override
        Object remove(Object key) {
            return cache.asMap().remove(key);
        }

        @Override
        long size() {
            cache.cleanUp();
            return cache.estimatedSize();
        }
    }

    // -------------------------------------------------------------------------------------------------------------
    // Memory: not a JMH benchmark (JMH measures time per operation); heap used after repeated System.gc(), as
    // PipelineHeapBenchmark does.

    public static void main(String[] args) throws InterruptedException {
        int entries = args.length > 0 ? Integer.parseInt(args[0]) : 100_000;
        System.out.printf(Locale.ROOT, "JVM %s %s, max heap %d MB, %d entries, values shared (not counted)%n",
                System.getProperty("java.vm.name"), System.getProperty("java.runtime.version"),
                Runtime.getRuntime().maxMemory() >> 20, entries);
        for (String impl : IMPLS) {
            footprint(impl, 1000, false); // warm-up: class loading and static state out of the measurement
        }
        for (int round = 1; round <= 2; round++) {
            for (String impl : IMPLS) {
                footprint(impl, entries, true);
            }
        }
    }

    private static void footprint(String impl, int entries, boolean print) throws InterruptedException {
        Object value = new Object();
        Params anchor = new Params("anchor", null);
        long empty = usedAfterGc();
        Candidate map = Candidate.create(impl);
        map.put(anchor, value);
        Params[] keys = new Params[entries];
        for (int i = 0; i < entries; i++) {
            keys[i] = new Params("get_forecast", null);
        }
        long before = usedAfterGc();
        for (Params key : keys) {
            map.put(key, value);
        }
        long full = usedAfterGc();
        Reference.reachabilityFence(keys); // else the JIT may let them die before the measurement above

        keys = null; // every key but the anchor becomes unreachable; from here on the map is only read
        long readsEnd = System.nanoTime() + TimeUnit.MILLISECONDS.toNanos(1500);
        int reads = 0;
        while (System.nanoTime() < readsEnd) {
            if (map.get(anchor) != value) {
                throw new AssertionError(impl + " lost a live key");
            }
            reads++;
            if (reads % 1000 == 0) {
                System.gc();
                Thread.sleep(20);
            }
        }
        long afterReads = usedAfterGc();
        Params fresh = new Params("fresh", null);
        map.put(fresh, value);
        map.remove(fresh);
        long afterWrite = usedAfterGc();
        long sizeAfterWrite = map.size(); // 1: the anchor
        Reference.reachabilityFence(anchor);
        map.close();
        if (print) {
            System.out.printf(Locale.ROOT, "%-20s %6.1f B/entry | keys collected, then %,d reads over 1.5 s: map "
                            + "retains %,d B | then one put+remove: %,d B, size %d%n",
                    impl, (double) (full - before) / entries, reads, afterReads - empty, afterWrite - empty,
                    sizeAfterWrite);
        }
    }

    private static long usedAfterGc() throws InterruptedException {
        long best = Long.MAX_VALUE;
        for (int i = 0; i < 6; i++) {
            System.gc();
            Thread.sleep(50);
            best = Math.min(best, ManagementFactory.getMemoryMXBean().getHeapMemoryUsage().getUsed());
        }
        return best;
    }
}
