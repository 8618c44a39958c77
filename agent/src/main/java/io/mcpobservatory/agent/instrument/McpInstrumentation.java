package io.mcpobservatory.agent.instrument;

import net.bytebuddy.description.method.MethodDescription;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.matcher.ElementMatcher;

/**
 * One instrumentation point of the MCP SDK: which types, which methods, and the advice inlined there. Advice never adds
 * fields or methods (so it can also be applied by retransformation when the agent is attached to a running JVM), names
 * only SDK, Reactor, {@code java.*} and bootstrap types, and suppresses every Throwable.
 */
public interface McpInstrumentation {

    /** The classes instrumented, by name or below an SDK interface. */
    Types types();

    default ElementMatcher<TypeDescription> type() {
        return types().matcher();
    }

    ElementMatcher<? super MethodDescription> method();

    /** The advice class run on method entry (its {@code @OnMethodEnter}). */
    Class<?> enterAdvice();

    /** The advice class run on method exit; the shared {@link MonoSpanExit} for methods whose Mono carries the work. */
    default Class<?> exitAdvice() {
        return MonoSpanExit.class;
    }
}
