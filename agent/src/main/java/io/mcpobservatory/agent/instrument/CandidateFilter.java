package io.mcpobservatory.agent.instrument;

import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.objectweb.asm.ClassReader;

/**
 * Which MCP classes may be instrumented, decided from a class's name and its direct supertypes, before the transformer
 * reads it. The SDK has some 220 classes, the instrumentation points about 17 of them: describing and matching every one
 * (with Byte Buddy, then) was most of what the agent cost an application's class-loading thread at start. A class passes
 * when a point names it, or when one of its direct supertypes is an MCP type that could lead to a point's SDK
 * interface; the schema's types ({@code McpSchema$...}: messages, records, their sealed interfaces) never do, which
 * leaves out nearly all.
 * Conservative: a class that passes may still match nothing (the transformer decides); a class that does not pass cannot
 * match (MuzzleTest checks that on every SDK release).
 */
public final class CandidateFilter {

    private static final String SCHEMA = "io/modelcontextprotocol/spec/McpSchema";

    private final Set<String> names = new HashSet<>();
    private final Set<String> superTypes = new HashSet<>();

    public CandidateFilter(List<McpInstrumentation> points) {
        for (McpInstrumentation point : points) {
            Types types = point.types();
            types.names().forEach(name -> names.add(name.replace('.', '/')));
            if (types.superType() != null) {
                superTypes.add(types.superType().replace('.', '/'));
            }
        }
    }

    /** A class about to be defined: its internal name and class file. */
    public boolean mayInstrument(String internalName, byte[] classFile) {
        if (names.contains(internalName)) {
            return true;
        }
        if (superTypes.isEmpty() || internalName.startsWith(SCHEMA)) {
            return false;
        }
        ClassReader reader;
        try {
            reader = new ClassReader(classFile);
        } catch (RuntimeException e) {
            return true; // a class file this ASM cannot read (a newer format): let the transformer decide
        }
        if (mayLeadToPoint(reader.getSuperName())) {
            return true;
        }
        for (String contract : reader.getInterfaces()) {
            if (mayLeadToPoint(contract)) {
                return true;
            }
        }
        return false;
    }

    /** A loaded class (attach): its whole hierarchy is at hand. */
    public boolean mayInstrument(Class<?> type) {
        return names.contains(type.getName().replace('.', '/')) || below(type);
    }

    private boolean below(Class<?> type) {
        if (type == null) {
            return false;
        }
        if (superTypes.contains(type.getName().replace('.', '/'))) {
            return true;
        }
        for (Class<?> contract : type.getInterfaces()) {
            if (below(contract)) {
                return true;
            }
        }
        return below(type.getSuperclass());
    }

    /** A direct supertype through which a class could be below a point's interface: that interface, or an MCP type. */
    private boolean mayLeadToPoint(String superType) {
        return superType != null && (superTypes.contains(superType)
                || ((superType.startsWith("io/modelcontextprotocol/") || superType.startsWith("org/springframework/ai/mcp/"))
                && !superType.startsWith(SCHEMA)));
    }
}
