package io.mcpobservatory.benchmarks;

import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.Span;
import java.util.Map;
import java.util.concurrent.TimeUnit;
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
import reactor.core.publisher.Mono;
import reactor.core.scheduler.Scheduler;
import reactor.core.scheduler.Schedulers;

/**
 * What the agent's Reactor schedule hook ({@code ReactorTrace}: installed in the application's Reactor at its first
 * tools/call, key {@code io.mcpobservatory.span}) costs every task scheduled in that Reactor, when no span is in play
 * (the usual case: the application's own Reactor work), with {@code -p hook=none} as the baseline and
 * {@code -p hook=identity} (a hook that returns its task) as the cost of having any schedule hook at all in Reactor (each
 * value of the parameter runs in forks of its own: hooks are global).
 * <ul>
 *   <li>{@code onSchedule}: {@code Schedulers.onSchedule(task)} for a plain {@code Runnable}, what every
 *   {@code schedule} call runs (the hook's type checks and its thread-local read);</li>
 *   <li>{@code subscribeOnSingle}: {@code Mono.fromCallable(..).subscribeOn(single).block()}, a whole hand-off to a
 *   scheduler thread and back, whose task is a subscription the hook walks to its subscriber's context.</li>
 * </ul>
 * Run: {@code java -jar benchmarks/target/benchmarks.jar ReactorScheduleHookBenchmark -f 2 -wi 3 -w 2s -i 5 -r 2s}.
 */
@BenchmarkMode(Mode.AverageTime)
@OutputTimeUnit(TimeUnit.NANOSECONDS)
@Threads(1)
@Fork(2)
@Warmup(iterations = 3, time = 2)
@Measurement(iterations = 5, time = 2)
@State(Scope.Benchmark)
public class ReactorScheduleHookBenchmark {

    @Param({"none", "identity", "agent"})
    public String hook;

    private final Runnable task = () -> { };
    private Scheduler single;

    @Setup(Level.Trial)
    public void setUp() throws Throwable {
        single = Schedulers.newSingle("bench-single");
        if (hook.equals("identity")) {
            Schedulers.onScheduleHook("bench-identity", task -> task);
            return;
        }
        if (!hook.equals("agent")) {
            return;
        }
        Bridge.install(span -> { });
        // a received tools/call whose work is a Mono: the bridge installs the hook in this Reactor
        Map<String, Object> params = Map.of("name", "get_forecast");
        Span span = Bridge.statelessMessage(new SdkShapes.Request("2.0", "tools/call", 1, params));
        Bridge.endWithMono(span, Mono.just(1), null);
        // proof: a task scheduled while the call is current is wrapped
        Span previous = Bridge.enterToolDispatch(null, params);
        try {
            if (Schedulers.onSchedule(task) == task) {
                throw new IllegalStateException("the schedule hook is not installed");
            }
        } finally {
            Bridge.exitTool(previous);
        }
        if (Schedulers.onSchedule(task) != task) {
            throw new IllegalStateException("a task with no span in play was wrapped");
        }
    }

    @TearDown(Level.Trial)
    public void tearDown() {
        single.dispose();
        Bridge.install(null);
    }

    @Benchmark
    public Runnable onSchedule() {
        return Schedulers.onSchedule(task);
    }

    @Benchmark
    public Integer subscribeOnSingle() {
        return Mono.fromCallable(() -> 1).subscribeOn(single).block();
    }
}
