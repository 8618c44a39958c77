package io.mcpobservatory.api;

import java.lang.invoke.MethodHandle;
import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;

/**
 * The agent's entry points ({@code io.mcpobservatory.bootstrap.Enrichment}), bound as method handles when this class
 * initializes: only after {@link AgentLink} found that class, so an application without the agent never loads this one.
 * Static final handles are constants to the JIT, which then inlines the agent's methods into the caller.
 *
 * <p>Spans are passed as {@code Object}: the application never sees an agent type. Each call drops whatever the agent
 * throws, so nothing ever reaches the application's code.
 */
final class AgentCalls {

    private static final Class<?> SPAN = Object.class;
    private static final Class<?> KEY = String.class;

    private static final MethodHandle ACTIVE = find("active", MethodType.methodType(boolean.class));
    private static final MethodHandle CURRENT = find("current", MethodType.methodType(Object.class));
    private static final MethodHandle RETRIES = setter("retries", int.class);
    private static final MethodHandle FALLBACK_USED = setter("fallbackUsed", boolean.class);
    private static final MethodHandle CONFIDENCE = setter("confidence", double.class);
    private static final MethodHandle TEXT = setter("attribute", KEY, String.class);
    private static final MethodHandle LONG = setter("attribute", KEY, long.class);
    private static final MethodHandle DOUBLE = setter("attribute", KEY, double.class);
    private static final MethodHandle BOOLEAN = setter("attribute", KEY, boolean.class);
    private static final MethodHandle CONFIDENCE_GATE = setter("confidenceGate", double.class, boolean.class);
    private static final MethodHandle HIGH_RISK_PATH = setter("highRiskPath");
    private static final MethodHandle PROMPT_DIFF_SCORE = setter("promptDiffScore", double.class);
    private static final MethodHandle SHADOW_AGREEMENT = setter("shadowAgreement", boolean.class);
    private static final MethodHandle GOLDEN_SCENARIO = setter("goldenScenario", boolean.class);
    private static final MethodHandle DETERMINISTIC_FALLBACK = setter("deterministicFallback");
    private static final MethodHandle ENTER = find("enter", MethodType.methodType(Object.class, SPAN));
    private static final MethodHandle EXIT = setter("exit");

    /** Read by {@link AgentLink} to initialize this class: true, or the initializer failed. */
    static final boolean BOUND = true;

    private AgentCalls() {
    }

    private static MethodHandle setter(String name, Class<?>... values) {
        return find(name, MethodType.methodType(void.class, SPAN, values));
    }

    private static MethodHandle find(String name, MethodType type) {
        try {
            // public members of a public class of the boot loader's unnamed module, which exports every package
            return MethodHandles.publicLookup().findStatic(Class.forName(AgentLink.ENRICHMENT, true, null), name, type);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("the agent has no " + name + type + ": another version", e);
        }
    }

    static boolean active() {
        try {
            return (boolean) ACTIVE.invokeExact();
        } catch (Throwable e) {
            return false;
        }
    }

    /** The span current on this thread, or null. */
    static Object current() {
        try {
            return (Object) CURRENT.invokeExact();
        } catch (Throwable e) {
            return null;
        }
    }

    static void retries(Object span, int retries) {
        try {
            RETRIES.invokeExact(span, retries);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void fallbackUsed(Object span, boolean used) {
        try {
            FALLBACK_USED.invokeExact(span, used);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void confidence(Object span, double confidence) {
        try {
            CONFIDENCE.invokeExact(span, confidence);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void attribute(Object span, String key, String value) {
        try {
            TEXT.invokeExact(span, key, value);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void attribute(Object span, String key, long value) {
        try {
            LONG.invokeExact(span, key, value);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void attribute(Object span, String key, double value) {
        try {
            DOUBLE.invokeExact(span, key, value);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void attribute(Object span, String key, boolean value) {
        try {
            BOOLEAN.invokeExact(span, key, value);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void confidenceGate(Object span, double threshold, boolean blocked) {
        try {
            CONFIDENCE_GATE.invokeExact(span, threshold, blocked);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void highRiskPath(Object span) {
        try {
            HIGH_RISK_PATH.invokeExact(span);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void promptDiffScore(Object span, double score) {
        try {
            PROMPT_DIFF_SCORE.invokeExact(span, score);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void shadowAgreement(Object span, boolean agreed) {
        try {
            SHADOW_AGREEMENT.invokeExact(span, agreed);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void goldenScenario(Object span, boolean passed) {
        try {
            GOLDEN_SCENARIO.invokeExact(span, passed);
        } catch (Throwable e) {
            // never into the application
        }
    }

    static void deterministicFallback(Object span) {
        try {
            DETERMINISTIC_FALLBACK.invokeExact(span);
        } catch (Throwable e) {
            // never into the application
        }
    }

    /** Makes {@code span} current on this thread; returns what was current, for {@link #exit}. */
    static Object enter(Object span) {
        try {
            return (Object) ENTER.invokeExact(span);
        } catch (Throwable e) {
            return null;
        }
    }

    static void exit(Object previous) {
        try {
            EXIT.invokeExact(previous);
        } catch (Throwable e) {
            // never into the application
        }
    }
}
