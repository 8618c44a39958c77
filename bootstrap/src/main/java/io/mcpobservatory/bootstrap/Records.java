package io.mcpobservatory.bootstrap;

import java.lang.annotation.Annotation;
import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;
import java.util.LinkedHashMap;
import java.util.Map;

/**
 * Copies of SDK records with one component replaced (records cannot be changed): a request's params with a new
 * {@code meta} ({@link TraceParent}), a streamable session's init result with a wrapped Mono ({@link Bridge}). The
 * components' accessors and the canonical constructor are looked up and made accessible once per record class.
 */
final class Records {

    private static final ClassValue<Records> SHAPES = new ClassValue<>() {
        @Override
        protected Records computeValue(Class<?> type) {
            return of(type);
        }
    };

    private static final String JSON_PROPERTY = "com.fasterxml.jackson.annotation.JsonProperty";

    private final String[] names;
    private final Class<?>[] types;
    private final Method[] accessors;
    private final Constructor<?> canonical;

    private Records(String[] names, Class<?>[] types, Method[] accessors, Constructor<?> canonical) {
        this.names = names;
        this.types = types;
        this.accessors = accessors;
        this.canonical = canonical;
    }

    /** The shape of a record class; null for a class that is not a record, or whose members cannot be reached. */
    static Records of(Class<?> type) {
        if (!type.isRecord()) {
            return null;
        }
        try {
            RecordComponent[] components = type.getRecordComponents();
            String[] names = new String[components.length];
            Class<?>[] types = new Class<?>[components.length];
            Method[] accessors = new Method[components.length];
            for (int i = 0; i < components.length; i++) {
                names[i] = components[i].getName();
                types[i] = components[i].getType();
                accessors[i] = components[i].getAccessor();
                accessors[i].setAccessible(true);
            }
            Constructor<?> canonical = type.getDeclaredConstructor(types);
            canonical.setAccessible(true);
            return new Records(names, types, accessors, canonical);
        } catch (ReflectiveOperationException | RuntimeException e) {
            return null;
        }
    }

    /** The cached shape of {@code record}'s class, or null (see {@link #of}). */
    static Records shapeOf(Object record) {
        return SHAPES.get(record.getClass());
    }

    /** The index of the component {@code name} of type {@code type} (any type if null), or -1. */
    int index(String name, Class<?> type) {
        for (int i = 0; i < names.length; i++) {
            if (names[i].equals(name) && (type == null || types[i] == type)) {
                return i;
            }
        }
        return -1;
    }

    Object get(Object record, int index) throws ReflectiveOperationException {
        return accessors[index].invoke(record);
    }

    /**
     * The record as the JSON object the SDK's mapper writes for it: each component under its {@code @JsonProperty} name
     * (else its own), null components left out (the schema records are {@code NON_ABSENT}); the values as they are, for
     * the mapper to write as it would have.
     */
    Map<String, Object> asJsonObject(Object record) throws ReflectiveOperationException {
        Map<String, Object> object = new LinkedHashMap<>();
        for (int i = 0; i < accessors.length; i++) {
            Object value = accessors[i].invoke(record);
            if (value != null) {
                object.put(jsonName(i), value);
            }
        }
        return object;
    }

    private String jsonName(int index) throws ReflectiveOperationException {
        for (Annotation annotation : accessors[index].getAnnotations()) {
            if (annotation.annotationType().getName().equals(JSON_PROPERTY)) {
                Object name = annotation.annotationType().getMethod("value").invoke(annotation);
                if (name instanceof String && !((String) name).isEmpty()) {
                    return (String) name;
                }
            }
        }
        return names[index];
    }

    /** A new record of the same class, the same but for component {@code index}, which is {@code value}. */
    Object with(Object record, int index, Object value) throws ReflectiveOperationException {
        Object[] values = new Object[accessors.length];
        for (int i = 0; i < accessors.length; i++) {
            values[i] = i == index ? value : accessors[i].invoke(record);
        }
        return canonical.newInstance(values);
    }
}
