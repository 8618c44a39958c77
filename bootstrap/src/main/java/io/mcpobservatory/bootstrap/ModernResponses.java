package io.mcpobservatory.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Method;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * The answers of SDK 2.2's modern server ({@code McpServer.handle}): a {@code Mono<McpTransportResponse>} that emits a
 * {@code Result} or an {@code Error} holding the JSON-RPC response, or a {@code Streaming} whose {@code Flux} of messages
 * (progress, logging, then the response) is written as an event stream. The span ends with the response: at once for
 * the first two, when the stream ends for the last (the Streaming is rebuilt around the observed Flux with the SDK's
 * public factory {@code McpTransportResponse.streaming(Flux)}).
 *
 * <p>Reactor and the SDK are the application's, so their operators are method handles found on the objects' own
 * classes, once per class ({@code ClassValue}s of the application's classes: nothing here keeps its loader alive).
 */
final class ModernResponses {

    private static final String MONO = "reactor.core.publisher.Mono";
    private static final String FLUX = "reactor.core.publisher.Flux";
    private static final MethodType OPERATOR = MethodType.methodType(Object.class, Object.class, Object.class);
    private static final MethodType FACTORY = MethodType.methodType(Object.class, Object.class);
    private static final Accessor RESPONSE = Accessor.named("response");
    private static final Accessor MESSAGES = Accessor.named("messages");
    private static final Accessor ERROR = Accessor.named("error");
    private static final Accessor ID = Accessor.named("id");

    /** {@code map}, {@code doOnError}, {@code doOnCancel} of a Mono class; null if it is not Reactor's. */
    private static final ClassValue<MethodHandle[]> MONO_OPERATORS = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            Class<?> mono = superclass(type, MONO);
            return mono == null ? null : operators(mono, new String[] {"map", "doOnError", "doOnCancel"},
                    new Class<?>[] {Function.class, Consumer.class, Runnable.class});
        }
    };

    /** {@code doOnNext}, {@code doOnError}, {@code doOnCancel}, {@code doOnComplete} of a Flux class; null if none. */
    private static final ClassValue<MethodHandle[]> FLUX_OPERATORS = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            Class<?> flux = superclass(type, FLUX);
            return flux == null ? null : operators(flux, new String[] {"doOnNext", "doOnError", "doOnCancel",
                "doOnComplete"}, new Class<?>[] {Consumer.class, Consumer.class, Runnable.class, Runnable.class});
        }
    };

    /** {@code McpTransportResponse.streaming(Flux)}, by the class of a Streaming answer; null if it has none. */
    private static final ClassValue<MethodHandle> STREAMING = new ClassValue<>() {
        @Override
        protected MethodHandle computeValue(Class<?> streaming) {
            Class<?> response = streaming.getSuperclass();
            if (response == null) {
                return null;
            }
            for (Method method : response.getMethods()) {
                if (method.getName().equals("streaming") && method.getParameterCount() == 1
                        && java.lang.reflect.Modifier.isStatic(method.getModifiers())) {
                    try {
                        return MethodHandles.publicLookup().unreflect(method).asType(FACTORY);
                    } catch (ReflectiveOperationException | RuntimeException e) {
                        return null;
                    }
                }
            }
            return null;
        }
    };

    private ModernResponses() {
    }

    /** {@code mono} with the span's end attached (the Mono itself if it is not Reactor's: the span is then not recorded). */
    static Object ending(Span span, Object mono) throws Throwable {
        MethodHandle[] operators = MONO_OPERATORS.get(mono.getClass());
        if (operators == null) {
            return mono;
        }
        Answer answer = new Answer(span);
        Object observed = (Object) operators[0].invokeExact(mono, (Object) answer);
        observed = (Object) operators[1].invokeExact(observed, (Object) SpanCallbacks.onError(span));
        return (Object) operators[2].invokeExact(observed, (Object) answer);
    }

    /** Reads the emitted answer (the map function) and ends the span on a cancel that came before it (the Runnable). */
    private static final class Answer implements Function<Object, Object>, Runnable {

        private final Span span;
        /** The answer is a stream: from now on its Flux, not this Mono, ends the span. */
        private volatile boolean streaming;

        Answer(Span span) {
            this.span = span;
        }

        @Override
        public Object apply(Object answer) {
            try {
                Object response = RESPONSE.call(answer); // Result or Error
                if (response != null || !MESSAGES.has(answer)) {
                    SpanEnd.completed(span, response);
                    return answer;
                }
                Object observed = observe(MESSAGES.call(answer));
                MethodHandle factory = observed == null ? null : STREAMING.get(answer.getClass());
                if (factory == null) {
                    SpanEnd.completed(span, null); // cannot follow the stream: its duration ends here
                    return answer;
                }
                Object rebuilt = (Object) factory.invokeExact(observed);
                streaming = true;
                return rebuilt;
            } catch (Throwable e) {
                return answer; // never let tracing break the application's pipeline
            }
        }

        @Override
        public void run() {
            if (!streaming) {
                SpanCallbacks.onCancel(span).run();
            }
        }

        /** The stream's messages, its response read as it passes, its end ending the span; null if not Reactor's. */
        private Object observe(Object messages) throws Throwable {
            MethodHandle[] operators = messages == null ? null : FLUX_OPERATORS.get(messages.getClass());
            if (operators == null) {
                return null;
            }
            Consumer<Object> onMessage = message -> {
                try {
                    // the response (not a notification) to this request
                    if (!span.isEnded() && ERROR.has(message) && ID.has(message)) {
                        SpanEnd.response(span, message);
                    }
                } catch (Throwable ignored) {
                    // never let tracing break the application's pipeline
                }
            };
            Runnable onComplete = () -> {
                try {
                    SpanEnd.completed(span, null);
                } catch (Throwable ignored) {
                    // as above
                }
            };
            Object observed = (Object) operators[0].invokeExact(messages, (Object) onMessage);
            observed = (Object) operators[1].invokeExact(observed, (Object) SpanCallbacks.onError(span));
            observed = (Object) operators[2].invokeExact(observed, (Object) SpanCallbacks.onCancel(span));
            return (Object) operators[3].invokeExact(observed, (Object) onComplete);
        }
    }

    private static Class<?> superclass(Class<?> type, String name) {
        Class<?> c = type;
        while (c != null && !c.getName().equals(name)) {
            c = c.getSuperclass();
        }
        return c;
    }

    private static MethodHandle[] operators(Class<?> type, String[] names, Class<?>[] arguments) {
        try {
            MethodHandles.Lookup lookup = MethodHandles.publicLookup();
            MethodHandle[] handles = new MethodHandle[names.length];
            for (int i = 0; i < names.length; i++) {
                handles[i] = lookup.findVirtual(type, names[i], MethodType.methodType(type, arguments[i]))
                        .asType(OPERATOR);
            }
            return handles;
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }
}
