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
     * Retransforms the loaded SDK classes the instrumentation points match, one at a time, so one that fails (it is then
     * one warning and runs untraced) never keeps the others untraced. Returns how many were retransformed.
     */
    static int retransform(Instrumentation instrumentation) {
        List<Class<?>> targets = new ArrayList<>();
        for (Class<?> type : instrumentation.getAllLoadedClasses()) {
            if (isSdkClass(type) && instrumentation.isModifiableClass(type) && instruments(type)) {
                targets.add(type);
            }
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
