package io.mcpobservatory.api;

import java.util.concurrent.Callable;
import java.util.concurrent.Executor;

/**
 * What an MCP server's own code may tell MCP Observatory about the request it is handling: confidence, fallback, retries,
 * attributes of its own, and decision flags, recorded on the request's span by the agent and exported with it (JSON
 * lines, PostgreSQL). Without the agent every call is a no-op that allocates nothing and never throws, so the
 * application needs no switch of its own:
 *
 * <pre>{@code
 * McpObservatory.current().confidence(0.64).fallbackUsed(true).retries(2).attribute("customer_tier", "gold");
 * }</pre>
 *
 * <p><b>Which span.</b> The agent makes a {@code tools/call} span current on the thread that runs the tool's handler: a
 * sync tool's whole handler, and the body of an async tool's handler (the code that builds and returns its Mono). Work
 * that runs later or elsewhere (the operators of that Mono, threads and executors of the application's own) has no
 * current span: there {@link #current()} is the no-op. Take the handle in the handler and use it from there (it is bound
 * to its span, see {@link McpSpan}), or {@link #wrap} a task (or the executor) handed to another thread. Reactor work
 * needs no wrapping when it runs on Reactor's schedulers: the agent carries the span in the Reactor {@code Context} of
 * the request's work and onto those threads (README, trace context).
 *
 * <p>The agent may come before or after this class is first used: it is looked for in the JVM's boot loader, again every
 * few seconds while it is absent, so an agent attached to the running JVM is found too (see {@code AgentLink}).
 */
public final class McpObservatory {

    private McpObservatory() {
    }

    /**
     * The span of the request handled on this thread, or a shared no-op handle when there is none (no agent, the agent
     * switched off, or not inside a request's handler).
     */
    public static McpSpan current() {
        if (!AgentLink.linked()) {
            return McpSpan.NOOP;
        }
        Object span = AgentCalls.current();
        return span == null ? McpSpan.NOOP : new McpSpan(span);
    }

    /** Whether the agent is in this JVM and recording. */
    public static boolean isActive() {
        return AgentLink.linked() && AgentCalls.active();
    }

    /**
     * {@code task} made to run with the span current on this thread (now) as its current span, on whatever thread it
     * runs: there {@link #current()} finds that span, and requests the task sends through the SDK's client join its
     * trace (children of that span, even when they are sent after the request answered). Without a current span,
     * {@code task} itself (null stays null): without the agent this is a pass-through that allocates nothing.
     *
     * <pre>{@code
     * executor.execute(McpObservatory.wrap(() -> { otherServer.callTool(request); }));
     * }</pre>
     */
    public static Runnable wrap(Runnable task) {
        McpSpan span = task == null ? McpSpan.NOOP : current();
        return span.isRecording() ? new SpanTask(span.span(), task) : task;
    }

    /**
     * {@link #wrap(Runnable)} for a task with a result ({@code ExecutorService.submit}, Reactor's
     * {@code Mono.fromCallable}): {@code task} itself when no span is current. As with OpenTelemetry's
     * {@code Context.wrap}, a lambda whose body is an expression with a value ({@code () -> client.callTool(r)}) is
     * this overload's: where a {@code Runnable} is wanted, write its body as a block ({@code () -> { ...; }}).
     */
    public static <V> Callable<V> wrap(Callable<V> task) {
        McpSpan span = task == null ? McpSpan.NOOP : current();
        return span.isRecording() ? new SpanCallable<>(span.span(), task) : task;
    }

    /**
     * An executor that runs each task with the span that was current where {@code execute} was called (not where this
     * wrapper was made), so one wrapper serves a whole {@code CompletableFuture} chain:
     *
     * <pre>{@code
     * CompletableFuture.supplyAsync(() -> otherServer.callTool(request), McpObservatory.wrap(executor))
     * }</pre>
     *
     * A task given where no span is current passes through unchanged. Without the agent, {@code executor} itself (so an
     * executor wrapped before an agent is attached to the running JVM stays as it was: wrap it again, or wrap tasks).
     */
    public static Executor wrap(Executor executor) {
        if (executor == null || executor instanceof SpanExecutor || !AgentLink.linked()) {
            return executor;
        }
        return new SpanExecutor(executor);
    }

    /** A task run with a span current, which is restored to what it was after, however the task ends. */
    private static final class SpanTask implements Runnable {
        private final Object span;
        private final Runnable task;

        SpanTask(Object span, Runnable task) {
            this.span = span;
            this.task = task;
        }

        @Override
        public void run() {
            Object previous = AgentCalls.enter(span);
            try {
                task.run();
            } finally {
                AgentCalls.exit(previous);
            }
        }
    }

    /** {@link SpanTask} with a result. */
    private static final class SpanCallable<V> implements Callable<V> {
        private final Object span;
        private final Callable<V> task;

        SpanCallable(Object span, Callable<V> task) {
            this.span = span;
            this.task = task;
        }

        @Override
        public V call() throws Exception {
            Object previous = AgentCalls.enter(span);
            try {
                return task.call();
            } finally {
                AgentCalls.exit(previous);
            }
        }
    }

    /** Wraps each task at {@code execute}, on the submitting thread, where the span to carry is current. */
    private static final class SpanExecutor implements Executor {
        private final Executor executor;

        SpanExecutor(Executor executor) {
            this.executor = executor;
        }

        @Override
        public void execute(Runnable task) {
            executor.execute(wrap(task));
        }
    }
}
