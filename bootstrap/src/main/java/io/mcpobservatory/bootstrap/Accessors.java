package io.mcpobservatory.bootstrap;

import java.lang.invoke.MethodHandles;
import java.lang.invoke.MethodType;
import java.lang.reflect.Field;
import java.lang.reflect.Method;
import java.lang.reflect.Modifier;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/**
 * Reads SDK objects by member name. The bridge lives in the bootstrap class loader and cannot name SDK types (they belong to
 * whatever loader loaded the SDK, and change between releases), so it reads record components and fields reflectively.
 * Lookups are cached per class (methods in the {@link Accessor} of their name); a missing member is cached too and reads
 * as {@code null}, which is how version differences degrade: an attribute goes empty, the application never notices.
 */
public final class Accessors {

    /** A member the class does not have (cached as such: reads of it are null). */
    static final Object MISSING = new Object();
    private static final MethodType GETTER = MethodType.methodType(Object.class, Object.class);

    private static final ClassValue<Map<String, Object>> FIELDS_BY_TYPE = new ClassValue<>() {
        @Override
        protected Map<String, Object> computeValue(Class<?> type) {
            return new ConcurrentHashMap<>();
        }
    };

    private Accessors() {
    }

    /**
     * Calls the public no-argument method {@code name} (a record accessor or getter), or returns null. For names read on
     * every request, a constant {@link Accessor} saves the lookup by name.
     */
    public static Object call(Object target, String name) {
        return target == null ? null : Accessor.named(name).call(target);
    }

    public static String callString(Object target, String name) {
        Object value = call(target, name);
        return value == null ? null : value.toString();
    }

    /** Whether the object's class has a public no-argument method of that name (e.g. tells a response from a request). */
    public static boolean has(Object target, String name) {
        return target != null && Accessor.named(name).has(target);
    }

    /**
     * Reads the first field, declared by the object's class or a superclass, whose type is or implements the type named
     * {@code typeName}. Used where a field's name differs between SDK releases but its type does not.
     */
    public static Object fieldOfType(Object target, String typeName) {
        if (target == null) {
            return null;
        }
        Map<String, Object> fields = FIELDS_BY_TYPE.get(target.getClass());
        Object member = fields.get(typeName); // a plain get first: computeIfAbsent allocates its capturing lambda
        if (member == null) {
            member = fields.computeIfAbsent(typeName, n -> findFieldOfType(target.getClass(), n));
        }
        if (member == MISSING) {
            return null;
        }
        try {
            return ((Field) member).get(target);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** Text of a value from the other side, cut at {@link Span#MAX_TEXT_CHARS}; null for null. */
    public static String text(Object value) {
        return value == null ? null : Span.limit(value.toString());
    }

    /** Reads {@code key} of a map, or the accessor {@code key} of a record: params arrive as either, by SDK side and version. */
    public static Object param(Object params, String key) {
        if (params instanceof Map) {
            return ((Map<?, ?>) params).get(key);
        }
        return call(params, key);
    }

    /**
     * A method handle typed {@code (Object)Object}: invoked with {@code invokeExact} it costs a few nanoseconds and
     * allocates nothing, unlike {@link Method#invoke} (measured in benchmarks/RESULTS.md).
     */
    static Object findMethod(Class<?> type, String name) {
        try {
            Method method = type.getMethod(name);
            if (Modifier.isStatic(method.getModifiers())) {
                return MISSING;
            }
            method.setAccessible(true); // public member of a possibly non-public class
            return MethodHandles.lookup().unreflect(method).asType(GETTER);
        } catch (NoSuchMethodException | IllegalAccessException | RuntimeException e) {
            return MISSING;
        }
    }

    private static Object findFieldOfType(Class<?> type, String typeName) {
        for (Class<?> c = type; c != null && c != Object.class; c = c.getSuperclass()) {
            for (Field field : c.getDeclaredFields()) {
                if (!Modifier.isStatic(field.getModifiers()) && isOrImplements(field.getType(), typeName)) {
                    try {
                        field.setAccessible(true);
                        return field;
                    } catch (RuntimeException e) {
                        return MISSING;
                    }
                }
            }
        }
        return MISSING;
    }

    private static boolean isOrImplements(Class<?> type, String typeName) {
        if (type == null) {
            return false;
        }
        if (type.getName().equals(typeName)) {
            return true;
        }
        for (Class<?> parent : type.getInterfaces()) {
            if (isOrImplements(parent, typeName)) {
                return true;
            }
        }
        return isOrImplements(type.getSuperclass(), typeName);
    }
}
