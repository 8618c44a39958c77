package io.mcpobservatory.bootstrap;

import java.lang.invoke.MethodHandle;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * One member name read from SDK objects ({@code id}, {@code params}, {@code content}, ...), resolved once per class. The
 * request path reads about a dozen of them per span: a constant {@code Accessor} per name finds a class's member with
 * one {@link ClassValue} lookup, where {@link Accessors#call(Object, String)} needs a per-class map lookup by name on top
 * (about 40 % of {@code bridgeServerSpan}'s samples before; benchmarks/RESULTS.md). The resolved handle lives in the
 * class's own {@code ClassValue} slot, so an unloaded SDK class takes it with it: nothing here pins a class loader.
 */
public final class Accessor {

    private static final Map<String, Accessor> BY_NAME = new ConcurrentHashMap<>();

    private final String name;
    private final ClassValue<Object> members = new ClassValue<>() {
        @Override
        protected Object computeValue(Class<?> type) {
            return Accessors.findMethod(type, name);
        }
    };

    private Accessor(String name) {
        this.name = name;
    }

    /** The accessor of the public no-argument method {@code name} (a record component or getter); one per name. */
    public static Accessor named(String name) {
        Accessor accessor = BY_NAME.get(name); // a plain get first: computeIfAbsent allocates its lambda
        return accessor != null ? accessor : BY_NAME.computeIfAbsent(name, Accessor::new);
    }

    /** Calls the method on {@code target}, or returns null (no target, no such method, or it threw). */
    public Object call(Object target) {
        if (target == null) {
            return null;
        }
        Object member = members.get(target.getClass());
        if (member == Accessors.MISSING) {
            return null;
        }
        try {
            return (Object) ((MethodHandle) member).invokeExact(target);
        } catch (Throwable e) {
            return null;
        }
    }

    public String callString(Object target) {
        Object value = call(target);
        return value == null ? null : value.toString();
    }

    /** Whether the target's class has the method (e.g. tells a response from a request). */
    public boolean has(Object target) {
        return target != null && members.get(target.getClass()) != Accessors.MISSING;
    }

    /** The key {@code name} of a map, or the method {@code name} of a record: params arrive as either, by SDK side and version. */
    public Object param(Object params) {
        if (params instanceof Map) {
            return ((Map<?, ?>) params).get(name);
        }
        return call(params);
    }

    @Override
    public String toString() {
        return name;
    }
}
