package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.bootstrap.Bridge;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.Opcodes;

/**
 * Applies the instrumentation points to the SDK classes the class watcher hands over: reads the class once (names,
 * supertypes, methods), asks each point whose types include the class which of its methods take what advice, and if any
 * do, rewrites the class with {@link AdviceWeaver}. Plain ASM on purpose: the agent's start used to be mostly Byte
 * Buddy's own classes loading and its type descriptions being built (benchmarks/RESULTS.md, section 8).
 */
final class McpTransformer implements ClassFileTransformer {

    /** Told of each class transformed, and of each class that could not be. */
    interface Listener {
        void transformed(String className, List<SdkMethod> advised);

        void failed(String className, Throwable error);
    }

    private final List<McpInstrumentation> points;
    private final Listener listener;
    private final Class<?> hooks;
    private final Hierarchy hierarchy = new Hierarchy();

    McpTransformer(List<McpInstrumentation> points, Listener listener) {
        this(points, listener, Bridge.class);
    }

    /** With the advice's calls going to {@code hooks} instead of the {@link Bridge} (tests of the weaver). */
    McpTransformer(List<McpInstrumentation> points, Listener listener, Class<?> hooks) {
        this.points = points;
        this.listener = listener;
        this.hooks = hooks;
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        return transform(loader, className, classBeingRedefined, protectionDomain, classFile);
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classFile) {
        try {
            ClassReader reader = new ClassReader(classFile);
            ClassFacts facts = new ClassFacts(reader); // the header: most candidates end here
            Map<String, Advice> advice = select(loader, facts);
            if (advice.isEmpty()) {
                return null;
            }
            if ((facts.version & 0xFFFF) < Opcodes.V1_7) {
                throw new IllegalArgumentException("class file version " + facts.version + " has no stack map frames");
            }
            ClassWriter writer = new ClassWriter(reader, ClassWriter.COMPUTE_MAXS);
            reader.accept(new AdviceWeaver(writer, facts, advice, hooks), ClassReader.EXPAND_FRAMES);
            byte[] transformed = writer.toByteArray();
            List<SdkMethod> advised = new ArrayList<>();
            advice.keySet().forEach(key -> advised.add(facts.code.get(key).method()));
            listener.transformed(facts.binaryName, advised);
            return transformed;
        } catch (Throwable t) {
            listener.failed(className == null ? "?" : className.replace('/', '.'), t);
            return null;
        }
    }

    /** The advice for each method of the class that some point instruments, by name + descriptor. */
    Map<String, Advice> select(ClassLoader loader, ClassFacts facts) {
        Map<String, Advice> advice = new LinkedHashMap<>();
        for (McpInstrumentation point : points) {
            if (!appliesTo(point, loader, facts)) {
                continue;
            }
            for (SdkMethod method : facts.readMembers().methods) {
                Advice methodAdvice = method.mayTakeAdvice() ? point.advice(method) : null;
                if (methodAdvice != null) {
                    advice.putIfAbsent(method.name() + method.descriptor(), methodAdvice);
                }
            }
        }
        return advice;
    }

    /** Whether the point's types include this class: it is named, or it is a class below the point's interface. */
    boolean appliesTo(McpInstrumentation point, ClassLoader loader, ClassFacts facts) {
        Types types = point.types();
        if (types.names().contains(facts.binaryName)) {
            return true;
        }
        return types.superType() != null && !facts.isInterface()
                && hierarchy.isBelow(loader, facts.superName, facts.interfaces, types.superType().replace('.', '/'));
    }
}
