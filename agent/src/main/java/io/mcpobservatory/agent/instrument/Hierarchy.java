package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.bootstrap.WeakIdentityMap;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayDeque;
import java.util.Deque;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import org.objectweb.asm.ClassReader;

/**
 * Whether a class about to be defined is below an SDK interface at any depth. Its supertypes may not be loaded yet (the
 * JVM loads them after the transformer ran), so they are read as class files from the class's loader, as the JVM would
 * find them. Direct supertypes are cached per loader (weakly: a redeployed application's loader is never kept alive);
 * only MCP classes that passed the {@link CandidateFilter} ever get here, a few dozen per application.
 */
final class Hierarchy {

    private static final String[] NONE = new String[0];
    /** Enough for any real hierarchy; a cycle or a runaway chain of unreadable files stops here. */
    private static final int MAX_TYPES = 256;

    private final WeakIdentityMap<ClassLoader, Map<String, String[]>> byLoader = new WeakIdentityMap<>();
    private final Map<String, String[]> boot = new ConcurrentHashMap<>();

    /** Whether a type with these direct supertypes is, or is below, {@code target} (all internal names). */
    boolean isBelow(ClassLoader loader, String superName, String[] interfaces, String target) {
        Deque<String> todo = new ArrayDeque<>();
        Set<String> seen = new HashSet<>();
        push(todo, superName, interfaces);
        while (!todo.isEmpty() && seen.size() < MAX_TYPES) {
            String type = todo.pop();
            if (!seen.add(type)) {
                continue;
            }
            if (type.equals(target)) {
                return true;
            }
            if (!type.startsWith("java/")) { // no JDK type implements an SDK interface
                push(todo, null, supertypes(loader, type));
            }
        }
        return false;
    }

    private static void push(Deque<String> todo, String superName, String[] interfaces) {
        if (superName != null) {
            todo.push(superName);
        }
        for (String type : interfaces) {
            if (type != null) {
                todo.push(type);
            }
        }
    }

    private String[] supertypes(ClassLoader loader, String type) {
        Map<String, String[]> known = loader == null ? boot
                : byLoader.computeIfAbsent(loader, key -> new ConcurrentHashMap<>());
        return known.computeIfAbsent(type, name -> read(loader, name));
    }

    /** The direct supertypes, superclass first; none if the class file cannot be found or read. */
    private static String[] read(ClassLoader loader, String type) {
        String resource = type + ".class";
        try (InputStream in = loader == null ? ClassLoader.getSystemResourceAsStream(resource)
                : loader.getResourceAsStream(resource)) {
            if (in == null) {
                return NONE;
            }
            ClassReader reader = new ClassReader(in);
            String[] interfaces = reader.getInterfaces();
            String[] all = new String[interfaces.length + 1];
            all[0] = reader.getSuperName();
            System.arraycopy(interfaces, 0, all, 1, interfaces.length);
            return all;
        } catch (IOException | RuntimeException e) {
            return NONE;
        }
    }
}
