package io.mcpobservatory.agent.instrument;

import static net.bytebuddy.matcher.ElementMatchers.isDefaultFinalizer;
import static net.bytebuddy.matcher.ElementMatchers.isSynthetic;
import static net.bytebuddy.matcher.ElementMatchers.nameStartsWith;
import static net.bytebuddy.matcher.ElementMatchers.not;

import io.mcpobservatory.agent.instrument.client.ClientIncomingRequestInstrumentation;
import io.mcpobservatory.agent.instrument.client.ClientRequestInstrumentation;
import io.mcpobservatory.agent.instrument.client.ClientTransportInstrumentation;
import io.mcpobservatory.agent.instrument.server.HttpTraceHeaderInstrumentation;
import io.mcpobservatory.agent.instrument.server.ServerToClientRequestInstrumentation;
import io.mcpobservatory.agent.instrument.server.SessionMessageInstrumentation;
import io.mcpobservatory.agent.instrument.server.StatelessMessageInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableInitializeInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableNotificationInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableResponseStreamInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableStreamInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableTransportInstrumentation;
import io.mcpobservatory.agent.instrument.server.ToolDispatchInstrumentation;
import io.mcpobservatory.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.util.List;
import net.bytebuddy.ByteBuddy;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.description.type.TypeDescription;
import net.bytebuddy.dynamic.DynamicType;
import net.bytebuddy.dynamic.loading.ClassInjector;
import net.bytebuddy.dynamic.scaffold.TypeValidation;
import net.bytebuddy.utility.JavaModule;

/** All instrumentation points, and the Byte Buddy transformer that applies them. */
public final class Instrumentations {

    static final List<McpInstrumentation> ALL = List.of(
            new SessionMessageInstrumentation(),
            new StreamableInitializeInstrumentation(),
            new StreamableStreamInstrumentation(),
            new StreamableResponseStreamInstrumentation(),
            new StreamableNotificationInstrumentation(),
            new StreamableTransportInstrumentation(),
            new StatelessMessageInstrumentation(),
            new ServerToClientRequestInstrumentation(),
            new ClientRequestInstrumentation(),
            new ClientIncomingRequestInstrumentation(),
            new ClientTransportInstrumentation(),
            new ToolDispatchInstrumentation(),
            new HttpTraceHeaderInstrumentation());

    /** Decides from names alone which MCP classes Byte Buddy needs to see at all. */
    static final CandidateFilter CANDIDATES = new CandidateFilter(ALL);

    private Instrumentations() {
    }

    /** Whether a class about to be defined may be one that some point instruments (else Byte Buddy never sees it). */
    public static boolean mayInstrument(String internalName, byte[] classFile) {
        return CANDIDATES.mayInstrument(internalName, classFile);
    }

    /**
     * A transformer for SDK classes, not registered with the JVM: the watcher calls it for SDK classes only. Class format
     * changes are disabled so the same advice can later be applied by retransformation (attach).
     */
    public static ClassFileTransformer transformer(boolean debug) {
        return transformer(debug, AgentBuilder.Listener.NoOp.INSTANCE);
    }

    /** The same, also telling {@code listener} of every class transformed or failed (MuzzleTest watches for errors). */
    static ClassFileTransformer transformer(boolean debug, AgentBuilder.Listener listener) {
        avoidUnsafe();
        // Byte Buddy skips synthetic methods by default; the SDK runs tool handlers inside lambda bodies
        // (lambda$toolsCallRequestHandler$N, lambda$fromSync$N), which ToolDispatchInstrumentation needs. Bridge methods
        // (synthetic, not lambda$) stay skipped, so a generic handleRequest is never instrumented twice.
        ByteBuddy byteBuddy = new ByteBuddy().with(TypeValidation.DISABLED)
                .ignore(isSynthetic().and(not(nameStartsWith("lambda$"))).or(isDefaultFinalizer()));
        AgentBuilder builder = new AgentBuilder.Default(byteBuddy)
                .disableClassFormatChanges()
                .with(AgentBuilder.DescriptionStrategy.Default.POOL_ONLY)
                .with(new TypePoolCache())
                .with(new WarningListener(debug))
                .with(listener)
                .ignore(not(nameStartsWith("io.modelcontextprotocol.").or(nameStartsWith("org.springframework.ai.mcp."))));
        for (McpInstrumentation point : ALL) {
            // Advice is described by name through the target's class loader plus ours, never loaded as a class here:
            // its signatures name Reactor types that only the application's (possibly child) class loader can see.
            AgentBuilder.Transformer.ForAdvice advice = new AgentBuilder.Transformer.ForAdvice()
                    .include(Instrumentations.class.getClassLoader());
            advice = point.exitAdvice() == null
                    ? advice.advice(point.method(), point.enterAdvice().getName())
                    : advice.advice(point.method(), point.enterAdvice().getName(), point.exitAdvice().getName());
            // not terminal (Byte Buddy's default): a class that several points instrument (the classic session
            // handles requests and sends server-to-client ones) gets the advice of each
            builder = builder.type(point.type()).transform(advice);
        }
        return builder.makeRaw();
    }

    /**
     * Byte Buddy's agent builder prepares, in its constructor, to inject classes through {@code sun.misc.Unsafe}, and
     * JDK 24 and later print a warning on stderr at the first such call (JEP 498). Advice inlined without class format
     * changes never injects a class, so our relocated copy is told to leave Unsafe alone (this property is read by its
     * class injectors only). A value the user set is kept.
     */
    private static void avoidUnsafe() {
        if (System.getProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY) == null) {
            System.setProperty(ClassInjector.UsingUnsafe.SAFE_PROPERTY, "true");
        }
    }

    /**
     * Whether some instrumentation point applies to this already-loaded class: on attach, only those are retransformed.
     * The matchers are the ones the transformer uses, evaluated on the loaded class by reflection.
     */
    public static boolean instruments(Class<?> type) {
        if (!CANDIDATES.mayInstrument(type)) {
            return false;
        }
        TypeDescription description = TypeDescription.ForLoadedType.of(type);
        for (McpInstrumentation point : ALL) {
            if (point.type().matches(description)) {
                return true;
            }
        }
        return false;
    }

    /** A failed instrumentation is one warning naming the class; the class then runs as it is. */
    private static final class WarningListener extends AgentBuilder.Listener.Adapter {
        private final boolean debug;

        WarningListener(boolean debug) {
            this.debug = debug;
        }

        @Override
        public void onError(String typeName, ClassLoader classLoader, JavaModule module, boolean loaded, Throwable error) {
            Log.warnOnce("instrument:" + typeName, "could not instrument " + typeName + "; it runs untraced: " + error);
        }

        @Override
        public void onTransformation(TypeDescription type, ClassLoader classLoader, JavaModule module, boolean loaded,
                                     DynamicType dynamicType) {
            if (debug) {
                Log.info("instrumented " + type.getName());
            }
        }
    }
}
