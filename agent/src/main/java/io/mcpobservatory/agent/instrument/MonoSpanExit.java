package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.bootstrap.Bridge;
import io.mcpobservatory.bootstrap.SpanCallbacks;
import io.mcpobservatory.bootstrap.Span;
import net.bytebuddy.asm.Advice;
import reactor.core.publisher.Mono;
import reactor.util.context.Context;

/**
 * Exit advice shared by every method that returns the {@code Mono} doing a request's work: the span ends when that Mono
 * terminates (success, error or cancel), on whatever thread, so a tool's whole execution is inside its span. The span is
 * also written into the Mono's Reactor {@code Context}, so work nested inside it can find its parent without ThreadLocals.
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
                .doOnCancel(SpanCallbacks.onCancel(span))
                .contextWrite(Context.of(Bridge.SPAN_CONTEXT_KEY, span));
    }
}
