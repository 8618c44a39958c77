package io.mcpobservatory.it.app;

import io.modelcontextprotocol.json.McpJsonMapper;

import java.lang.reflect.Method;

/**
 * The SDK's default JSON mapper, the one API difference between the SDK versions these apps compile against:
 * 1.x and 2.x have {@code io.modelcontextprotocol.json.McpJsonDefaults.getMapper()}, 0.14 to 0.18 have
 * {@code McpJsonMapper.getDefault()}. Both look the binding up with ServiceLoader (Jackson 3 from 1.0, Jackson 2 before).
 */
final class Json {

    private static volatile McpJsonMapper mapper;

    private Json() {
    }

    static McpJsonMapper mapper() {
        McpJsonMapper m = mapper;
        if (m == null) {
            m = lookup();
            mapper = m;
        }
        return m;
    }

    private static McpJsonMapper lookup() {
        ClassLoader cl = McpJsonMapper.class.getClassLoader();
        try {
            Class<?> defaults = Class.forName("io.modelcontextprotocol.json.McpJsonDefaults", true, cl);
            return (McpJsonMapper) defaults.getMethod("getMapper").invoke(null);
        } catch (ClassNotFoundException e) {
            // 0.x
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("McpJsonDefaults.getMapper() failed", e);
        }
        try {
            Method getDefault = McpJsonMapper.class.getMethod("getDefault");
            return (McpJsonMapper) getDefault.invoke(null);
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("no default McpJsonMapper in this SDK version", e);
        }
    }
}
