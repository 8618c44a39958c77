package io.mcpobservatory.agent;

import io.mcpobservatory.agent.instrument.Instrumentations;
import io.mcpobservatory.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.security.ProtectionDomain;

/**
 * The only thing the agent installs at start: a transformer that looks at class names. Until a class of the MCP SDK (or
 * Spring AI's MCP transports) is loaded it returns at once, so a JVM without the SDK pays one string comparison per class
 * load and nothing else. Of the SDK's classes, only those an instrumentation point may match go further
 * ({@link Instrumentations#mayInstrument}); the first of them starts the runtime (the transformer and the pipeline), and
 * from then on they are handed to the transformer.
 */
final class McpClassWatcher implements ClassFileTransformer {

    private final AgentRuntime runtime;
    private final java.util.concurrent.atomic.LongAdder classes = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder nanos = new java.util.concurrent.atomic.LongAdder();
    private final java.util.concurrent.atomic.LongAdder candidates = new java.util.concurrent.atomic.LongAdder();

    McpClassWatcher(AgentRuntime runtime) {
        this.runtime = runtime;
    }

    static boolean isMcpClass(String internalName) {
        return internalName != null
                && (internalName.startsWith("io/modelcontextprotocol/")
                || internalName.startsWith("org/springframework/ai/mcp/")
                || isCompanion(internalName));
    }

    /**
     * A class outside the MCP packages that a point instruments: Spring AI's {@code MethodToolCallback}, whose
     * exceptions Spring AI's MCP server turns into results, and the {@code @McpTool} callbacks of Spring AI 1.1's
     * annotations library. Spring AI applications without MCP load the first too: it never starts the runtime, it is
     * only instrumented once an MCP class did (Spring AI's MCP server loads its SDK classes first, while its
     * auto-configuration is read; the annotations' callbacks are made after that).
     */
    private static boolean isCompanion(String internalName) {
        return internalName.startsWith("org/springframework/ai/tool/method/MethodToolCallback")
                || internalName.startsWith("org/springaicommunity/mcp/method/tool/AbstractMcpToolMethodCallback");
    }

    @Override
    public byte[] transform(Module module, ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        if (!isMcpClass(className)) {
            return null;
        }
        long start = System.nanoTime();
        try {
            if (!Instrumentations.mayInstrument(className, classfileBuffer)) {
                return null; // most SDK classes (schema records, builders): not even read
            }
            candidates.increment();
            ClassFileTransformer delegate = isCompanion(className) ? runtime.startedTransformer()
                    : runtime.transformer();
            return delegate == null ? null
                    : delegate.transform(module, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
        } catch (Throwable t) {
            Log.warnOnce("transform:" + className, "could not instrument " + className.replace('/', '.')
                    + "; it runs untraced: " + t);
            return null;
        } finally {
            classes.increment();
            nanos.add(System.nanoTime() - start);
        }
    }

    /** SDK classes seen, and the time their loading threads spent here (the runtime's start included), for debug output. */
    String cost() {
        return classes.sum() + " MCP classes seen, " + candidates.sum() + " of them read by the transformer, "
                + nanos.sum() / 1_000_000 + " ms in the agent's transformer";
    }

    @Override
    public byte[] transform(ClassLoader loader, String className, Class<?> classBeingRedefined,
                            ProtectionDomain protectionDomain, byte[] classfileBuffer) {
        return transform(null, loader, className, classBeingRedefined, protectionDomain, classfileBuffer);
    }
}
