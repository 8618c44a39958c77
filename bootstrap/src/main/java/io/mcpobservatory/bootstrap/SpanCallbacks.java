package io.mcpobservatory.bootstrap;

import java.util.function.Consumer;

/**
 * Reactor signal callbacks that end a span when the Mono carrying its work terminates, on whichever thread that happens.
 * {@link Monos} passes them to {@code doOnSuccess}, {@code doOnError} and {@code doOnCancel}; they only use {@code java.*} types
 * so that the bootstrap class loader can define them while Reactor stays in the application's loader.
 */
final class SpanCallbacks {

    private SpanCallbacks() {
    }

    public static Consumer<Object> onValue(Span span) {
        return value -> {
            try {
                Bridge.completed(span, value);
            } catch (Throwable ignored) {
                // never let tracing break the application's pipeline
            }
        };
    }

    public static Consumer<Object> onInitializeResult(Span span) {
        return value -> {
            try {
                Bridge.initialized(span, value);
            } catch (Throwable ignored) {
                // never let tracing break the application's pipeline
            }
        };
    }

    public static Consumer<Throwable> onError(Span span) {
        return error -> {
            try {
                Bridge.failed(span, error);
            } catch (Throwable ignored) {
                // never let tracing break the application's pipeline
            }
        };
    }

    public static Runnable onCancel(Span span) {
        return () -> {
            try {
                Bridge.cancelled(span);
            } catch (Throwable ignored) {
                // never let tracing break the application's pipeline
            }
        };
    }
}
