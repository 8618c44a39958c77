package io.mcpobservatory.agent;

import io.mcpobservatory.agent.instrument.Instrumentations;
import io.mcpobservatory.log.Log;
import java.lang.instrument.Instrumentation;
import java.util.ArrayList;
import java.util.List;

/**
 * On attach the MCP SDK is usually loaded already, so the class-load hook never sees it: this finds its classes among the
 * loaded ones and retransforms those the agent instruments. Only those few (a handful of sessions and transports, not
 * the hundreds of schema records), because each retransformation is a stop-the-world VM operation in the target.
 */
final class LoadedSdkClasses {

    private LoadedSdkClasses() {
    }

    /** Whether any class of the MCP SDK is loaded: then the runtime must start now, not at the next class load. */
    static boolean anyLoaded(Instrumentation instrumentation) {
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (isSdkClass(type)) {
                return true;
            }
        }
        return false;
    }

    /**
     * Retransforms the loaded SDK classes the instrumentation points match, and returns how many. All in one call: each
     * call is one safepoint whose cost is mostly a walk over every loaded class of the JVM, whatever the number of classes
     * redefined, so one call pauses the application once instead of once per class. If that call fails, the classes are
     * retried one at a time, so one that cannot be instrumented (one warning; it runs untraced) never keeps the others
     * untraced.
     */
    static int retransform(Instrumentation instrumentation) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (isSdkClass(type) && instrumentation.isModifiableClass(type) && instruments(type)) {
                targets.add(type);
            }
        }
        if (targets.isEmpty()) {
            return 0;
        }
        try {
            instrumentation.retransformClasses(targets.toArray(new Class<?>[0]));
            return targets.size();
        } catch (Throwable t) {
            // fall back to one class at a time, below
        }
        int done = 0;
        for (Class<?> type : targets) {
            try {
                instrumentation.retransformClasses(type);
                done++;
            } catch (Throwable t) {
                Log.warnOnce("retransform:" + type.getName(), "could not instrument the loaded class " + type.getName()
                        + "; it runs untraced: " + t);
            }
        }
        return done;
    }

    private static boolean isSdkClass(Class<?> type) {
        // Hidden classes (lambdas) cannot be retransformed; arrays and primitives have no class file.
        return !type.isArray() && !type.isPrimitive() && !type.isHidden()
                && McpClassWatcher.isMcpClass(type.getName().replace('.', '/'));
    }

    private static boolean instruments(Class<?> type) {
        try {
            return Instrumentations.instruments(type);
        } catch (Throwable t) {
            // reflection on a class whose signatures name missing types can fail; such a class is not one of ours
            return false;
        }
    }
}
