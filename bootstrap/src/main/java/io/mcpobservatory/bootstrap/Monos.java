package io.mcpobservatory.bootstrap;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.util.function.Consumer;

/**
 * Attaches a span's end to the application's Reactor {@code Mono} that carries a request's work. The bootstrap class
 * loader cannot see Reactor (it is the application's), so the three operators are found on the Mono's own class by name,
 * as method handles, once per class.
 */
final class Monos {

    private static final String MONO = "reactor.core.publisher.Mono";
    private static final MethodType OPERATOR = MethodType.methodType(Object.class, Object.class, Object.class);

    /** {@code doOnSuccess}, {@code doOnError}, {@code doOnCancel} of Reactor's Mono, by the Mono's class; null if none. */
    private static final ClassValue<MethodHandle[]> OPERATORS = new ClassValue<>() {
        @Override
        protected MethodHandle[] computeValue(Class<?> type) {
            Class<?> mono = type;
            while (mono != null && !mono.getName().equals(MONO)) {
                mono = mono.getSuperclass();
            }
            if (mono == null) {
                return null;
            }
            try {
                MethodHandles.Lookup lookup = MethodHandles.publicLookup();
                return new MethodHandle[] {
                    lookup.findVirtual(mono, "doOnSuccess", MethodType.methodType(mono, Consumer.class)).asType(OPERATOR),
                    lookup.findVirtual(mono, "doOnError", MethodType.methodType(mono, Consumer.class)).asType(OPERATOR),
                    lookup.findVirtual(mono, "doOnCancel", MethodType.methodType(mono, Runnable.class)).asType(OPERATOR)};
            } catch (ReflectiveOperationException | RuntimeException e) {
                return null;
            }
        }
    };

    private Monos() {
    }

    /**
     * {@code mono.doOnSuccess(onValue).doOnError(..).doOnCancel(..)}, ending {@code span} when the Mono terminates, on
     * whatever thread; the Mono unchanged if it is not Reactor's (the span is then never recorded).
     */
    static Object endingSpan(Object mono, Span span, Consumer<Object> onValue) throws Throwable {
        MethodHandle[] operators = OPERATORS.get(mono.getClass());
        if (operators == null) {
            return mono;
        }
        Object observed = (Object) operators[0].invokeExact(mono, (Object) onValue);
        observed = (Object) operators[1].invokeExact(observed, (Object) SpanCallbacks.onError(span));
        return (Object) operators[2].invokeExact(observed, (Object) SpanCallbacks.onCancel(span));
    }
}
