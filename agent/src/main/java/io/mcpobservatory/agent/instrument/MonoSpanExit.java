package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.SpanCallbacks;
import io.mcpobservatory.bootstrap.Span;
import net.bytebuddy.asm.Advice;
import reactor.core.publisher.Mono;

/**
 * Exit advice shared by every method that returns the {@code Mono} doing a request's work: the span ends when that Mono
 * terminates (success, error or cancel), on whatever thread, so a tool's whole execution is inside its span. The span
 * travels with the Mono's callbacks, not in a ThreadLocal; what code inside the request sends finds its parent through
 * the bridge's current span, set around the SDK frames that run the application's handler (ToolDispatchInstrumentation).
 */
public final class MonoSpanExit {

    private MonoSpanExit() {
    }

    @Advice.OnMethodExit(onThrowable = Throwable.class, suppress = Throwable.class)
    public static void exit(@Advice.Enter Span span,
                            @Advice.Return(readOnly = false) Mono<?> work,
                            @Advice.Thrown Throwable thrown) {
        if (span == null) {
            return;
        }
        if (thrown != null || work == null) {
            Bridge.failed(span, thrown);
            return;
        }
        work = work.doOnSuccess(SpanCallbacks.onValue(span))
                .doOnError(SpanCallbacks.onError(span))
                .doOnCancel(SpanCallbacks.onCancel(span));
    }
}
