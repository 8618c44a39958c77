package io.mcpobservatory.bootstrap;

import java.lang.reflect.Constructor;
import java.lang.reflect.Method;
import java.lang.reflect.RecordComponent;

/** Copies of SDK records with one component replaced (records cannot be changed), by reflection. */
final class Records {

    private Records() {
    }

    /** A new record of {@code record}'s class, the same but for {@code component}, which is {@code value}. */
    static Object with(Object record, String component, Object value) throws ReflectiveOperationException {
        Class<?> type = record.getClass();
        RecordComponent[] components = type.getRecordComponents();
        if (components == null) {
            throw new IllegalArgumentException(type.getName() + " is not a record");
        }
        Object[] values = new Object[components.length];
        Class<?>[] types = new Class<?>[components.length];
        for (int i = 0; i < components.length; i++) {
            types[i] = components[i].getType();
            if (components[i].getName().equals(component)) {
                values[i] = value;
            } else {
                Method accessor = components[i].getAccessor();
                accessor.setAccessible(true);
                values[i] = accessor.invoke(record);
            }
        }
        Constructor<?> canonical = type.getDeclaredConstructor(types);
        canonical.setAccessible(true);
        return canonical.newInstance(values);
    }
}
