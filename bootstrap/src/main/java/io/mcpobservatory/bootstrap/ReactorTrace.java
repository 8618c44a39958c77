package io.mcpobservatory.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Function;

/**
 * The trace followed through Reactor, where a tool's work leaves the SDK frames in which its span is current on the
 * thread ({@link CurrentSpan}): an async tool whose Mono runs later, on another scheduler, or composes the SDK client.
 * <ul>
 *   <li>A {@code tools/call} span is put in the Reactor {@code Context} of the Mono that carries the request's work
 *   (the SDK already passes its {@code McpTransportContext} the same way): every operator of the tool's own Mono sees it,
 *   on whatever thread it runs.</li>
 *   <li>A request sent where no span is current on the thread (the SDK client's {@code sendRequest} runs when its Mono
 *   is subscribed, maybe on a Reactor thread) takes that span from its subscriber's context as parent, at
 *   subscription: before the request is built, so the {@code traceparent} already in its {@code _meta} (our copy) is
 *   rewritten in time.</li>
 *   <li>Tasks on Reactor's schedulers ({@code subscribeOn}, {@code publishOn}) run with the span of their subscriber's
 *   context (else the one current where they were scheduled) current on the worker thread, through a schedule hook
 *   ({@code Schedulers.onScheduleHook}), so that blocking code there (a sync client's call in
 *   {@code Mono.fromCallable}) joins the trace too.</li>
 * </ul>
 * Reactor is the application's, so it is reached by method handles found on the Mono's own class, once per Reactor;
 * the hook is installed in a Reactor when its first tools/call span passes. A Reactor without these operators (older
 * than 3.4) is left alone. The hook's cost on every task scheduled in that Reactor: a lookup of the task's kind by its
 * class, and for a subscriber its {@code currentContext()} (a walk down the operator chain) and a lookup in that small
 * map; 11.5 ns a plain task against 1.7 ns without a hook (ReactorScheduleHookBenchmark, RESULTS.md section 22). A
 * wrapper is allocated only for tasks that carry a span. Handles and the per-Reactor state live in {@code ClassValue}s
 * of the application's own Mono classes, so nothing here keeps its class loader alive.
 */
final class ReactorTrace {

    /** The Reactor Context key of the span: a text, so that it reads well in a debugger's view of a Context. */
    static final String KEY = "io.mcpobservatory.span";
    /** The key of a Spring WebFlux request's {@code traceparent} header ({@link CallerTrace}). */
    static final String HEADER_KEY = "io.mcpobservatory.traceparent";
    private static final String HOOK = "io.mcpobservatory.span";
    private static final String MONO = "reactor.core.publisher.Mono";

    /** One Reactor's operators, by the runtime class of any of its Monos; null when they cannot be had. */
    private static final ClassValue<Api> BY_CLASS = new ClassValue<>() {
        @Override
        protected Api computeValue(Class<?> type) {
            Class<?> mono = type;
            while (mono != null && !mono.getName().equals(MONO)) {
                mono = mono.getSuperclass();
            }
            return mono == null ? null : BY_MONO.get(mono);
        }
    };

    /** Per Reactor (its Mono class): the handles. */
    private static final ClassValue<Api> BY_MONO = new ClassValue<>() {
        @Override
        protected Api computeValue(Class<?> mono) {
            try {
                return new Api(mono);
            } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
                return null;
            }
        }
    };

    private ReactorTrace() {
    }

    /**
     * The Mono carrying a request's work, its span added to its context when the span is one whose code may hand work
     * to Reactor (a received tools/call), or whose parent may be there (a request sent with none current on the thread).
     */
    static Object carry(Span span, Object mono) throws Throwable {
        if (span.isServer()) {
            if (span.method != McpMethod.TOOLS_CALL) {
                return mono;
            }
            Api api = BY_CLASS.get(mono.getClass());
            return api == null ? mono : api.withSpan(mono, span);
        }
        if (span.parentSpanId != 0) {
            return mono; // a child of the span current on its thread already
        }
        Api api = BY_CLASS.get(mono.getClass());
        return api == null ? mono : api.parentedAtSubscription(mono, span);
    }

    /** {@code mono} with {@code span} in its context, for what it sends to take as parent (no schedule hook needed). */
    static Object withSpan(Object mono, Span span) throws Throwable {
        Api api = BY_CLASS.get(mono.getClass());
        return api == null ? mono
                : (Object) api.contextWrite.invokeExact(mono, (Object) api.contextOf.invokeExact((Object) KEY,
                        (Object) span));
    }

    /** A WebFlux handler's Mono, with the {@code traceparent} header of its request in its context. */
    static Object withHeader(Object mono, Object header) throws Throwable {
        Api api = BY_CLASS.get(mono.getClass());
        if (api == null) {
            return mono;
        }
        CallerTrace.reactiveHeaders = true;
        return (Object) api.contextWrite.invokeExact(mono, (Object) api.contextOf.invokeExact((Object) HEADER_KEY,
                header));
    }

    /**
     * A received request's Mono whose span has no caller yet: at subscription, before the request's work runs, the span
     * joins the trace of a {@code traceparent} header in the subscriber's context ({@link #withHeader}), if any.
     */
    static Object joinedAtSubscription(Span span, Object mono) throws Throwable {
        Api api = BY_CLASS.get(mono.getClass());
        if (api == null) {
            return mono;
        }
        Function<Object, Object> atSubscription = context -> {
            try {
                if (span.parentSpanId == 0) {
                    TraceParent.join(span, (Object) api.getOrDefault.invokeExact(context, (Object) HEADER_KEY,
                            (Object) null));
                }
            } catch (Throwable e) {
                // the span stays the root of its own trace
            }
            return mono;
        };
        return (Object) api.deferContextual.invokeExact((Object) atSubscription);
    }

    /** A sent request's span, started without a parent, becomes a child of {@code parent} (before it is sent). */
    static void adopt(Span span, Object parent) {
        if (!(parent instanceof Span) || span.parentSpanId != 0) {
            return;
        }
        Span from = (Span) parent;
        span.traceIdHigh = from.traceIdHigh;
        span.traceIdLow = from.traceIdLow;
        span.parentSpanId = from.spanId;
        span.callerSampled = from.callerSampled;
        SentRequests.retraced(span);
    }

    private static final class Api {
        private static final int PLAIN = 0;
        private static final int SUBSCRIBER = 1;
        private static final int SCANNABLE = 2;
        private static final MethodType ANY_1 = MethodType.methodType(Object.class, Object.class);
        private static final MethodType ANY_2 = MethodType.methodType(Object.class, Object.class, Object.class);

        private final MethodHandle contextOf;       // Context.of(key, value)
        private final MethodHandle contextWrite;    // mono.contextWrite(contextView)
        private final MethodHandle deferContextual; // Mono.deferContextual(Function<ContextView, Mono>)
        private final MethodHandle getOrDefault;    // contextView.getOrDefault(key, null)
        private final MethodHandle currentContext;  // coreSubscriber.currentContext()
        private final MethodHandle onScheduleHook;  // Schedulers.onScheduleHook(String, Function<Runnable, Runnable>)
        private final MethodHandle scanUnsafe;      // scannable.scanUnsafe(attr)
        private final Object actual;                // Scannable.Attr.ACTUAL
        private final Class<?> coreSubscriber;
        private final Class<?> scannable;
        private volatile boolean hooked;

        /**
         * What a task's class is to {@link #decorate}: a subscriber, a scannable whose {@code ACTUAL} may be one, or
         * neither. Looked up per class, not tested with {@code Class.isInstance} per task: on JDK 17 testing one class
         * against two interfaces in turn thrashes its one-entry secondary-super cache (JDK-8180450), 48 ns a task where
         * this lookup costs a few (RESULTS.md section 22).
         */
        private final ClassValue<Integer> taskKinds = new ClassValue<>() {
            @Override
            protected Integer computeValue(Class<?> type) {
                return coreSubscriber.isAssignableFrom(type) ? SUBSCRIBER
                        : scannable.isAssignableFrom(type) ? SCANNABLE : PLAIN;
            }
        };

        Api(Class<?> mono) throws ReflectiveOperationException {
            ClassLoader loader = mono.getClassLoader();
            Class<?> context = Class.forName("reactor.util.context.Context", false, loader);
            Class<?> contextView = Class.forName("reactor.util.context.ContextView", false, loader);
            coreSubscriber = Class.forName("reactor.core.CoreSubscriber", false, loader);
            Class<?> schedulers = Class.forName("reactor.core.scheduler.Schedulers", false, loader);
            scannable = Class.forName("reactor.core.Scannable", false, loader);
            Class<?> attr = Class.forName("reactor.core.Scannable$Attr", false, loader);
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            contextOf = lookup.findStatic(context, "of", MethodType.methodType(context, Object.class, Object.class))
                    .asType(ANY_2);
            contextWrite = lookup.findVirtual(mono, "contextWrite", MethodType.methodType(mono, contextView))
                    .asType(ANY_2);
            deferContextual = lookup.findStatic(mono, "deferContextual", MethodType.methodType(mono, Function.class))
                    .asType(ANY_1);
            getOrDefault = lookup.findVirtual(contextView, "getOrDefault",
                    MethodType.methodType(Object.class, Object.class, Object.class))
                    .asType(MethodType.methodType(Object.class, Object.class, Object.class, Object.class));
            currentContext = lookup.findVirtual(coreSubscriber, "currentContext", MethodType.methodType(context))
                    .asType(ANY_1);
            onScheduleHook = lookup.findStatic(schedulers, "onScheduleHook",
                    MethodType.methodType(void.class, String.class, Function.class));
            scanUnsafe = lookup.findVirtual(scannable, "scanUnsafe", MethodType.methodType(Object.class, attr))
                    .asType(ANY_2);
            actual = attr.getField("ACTUAL").get(null);
        }

        /**
         * The first tools/call span of this Reactor installs the schedule hook (a JVM that only sends requests, a
         * client, never pays for it). Several threads may get here at once: a hook is replaced by its key.
         */
        Object withSpan(Object mono, Span span) throws Throwable {
            if (!hooked) {
                hooked = true;
                onScheduleHook.invokeExact(HOOK, (Function<Runnable, Runnable>) this::decorate);
            }
            return (Object) contextWrite.invokeExact(mono, (Object) contextOf.invokeExact((Object) KEY, (Object) span));
        }

        Object parentedAtSubscription(Object mono, Span span) throws Throwable {
            Function<Object, Object> atSubscription = context -> {
                try {
                    adopt(span, (Object) getOrDefault.invokeExact(context, (Object) KEY, (Object) null));
                } catch (Throwable e) {
                    // the request goes as it was: a root of its own trace
                }
                return mono;
            };
            return (Object) deferContextual.invokeExact((Object) atSubscription);
        }

        /**
         * Every task scheduled on a Reactor scheduler: with the span of its subscriber's context, else the span current
         * on the scheduling thread, current while it runs; the task itself when there is none (the usual case, which
         * costs a lookup of the task's kind, and for a subscriber a context lookup). The task is a subscriber itself
         * ({@code subscribeOn}, {@code publishOn}), or a subscription whose subscriber is its {@code ACTUAL}
         * ({@code Mono.fromCallable(..).subscribeOn(..)}, which Reactor fuses). Never throws: the task is then returned
         * as it was.
         */
        Runnable decorate(Runnable task) {
            try {
                Object subscriber = task;
                int kind = taskKinds.get(task.getClass());
                if (kind == SCANNABLE) {
                    subscriber = (Object) scanUnsafe.invokeExact((Object) task, actual);
                    kind = subscriber == null ? PLAIN : taskKinds.get(subscriber.getClass());
                }
                Object span = null;
                if (kind == SUBSCRIBER) {
                    span = (Object) getOrDefault.invokeExact((Object) currentContext.invokeExact(subscriber),
                            (Object) KEY, (Object) null);
                }
                if (!(span instanceof Span)) {
                    span = CurrentSpan.get();
                }
                return span instanceof Span ? new WithSpan((Span) span, task) : task;
            } catch (Throwable e) {
                return task;
            }
        }
    }

    /** A scheduled task run with a span current on its worker thread, and what was current there restored after. */
    private static final class WithSpan implements Runnable {
        private final Span span;
        private final Runnable task;

        WithSpan(Span span, Runnable task) {
            this.span = span;
            this.task = task;
        }

        @Override
        public void run() {
            Span previous = CurrentSpan.enter(span);
            try {
                task.run();
            } finally {
                CurrentSpan.restore(previous);
            }
        }
    }
}
