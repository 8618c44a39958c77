package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.agent.instrument.client.ClientIncomingRequestInstrumentation;
import io.mcpobservatory.agent.instrument.client.ClientRequestInstrumentation;
import io.mcpobservatory.agent.instrument.client.ClientTransportInstrumentation;
import io.mcpobservatory.agent.instrument.modern.ModernClientRequestInstrumentation;
import io.mcpobservatory.agent.instrument.modern.ModernServerRequestInstrumentation;
import io.mcpobservatory.agent.instrument.modern.ModernSyncClientInstrumentation;
import io.mcpobservatory.agent.instrument.modern.ModernSyncToolInstrumentation;
import io.mcpobservatory.agent.instrument.modern.ModernTransportFrameInstrumentation;
import io.mcpobservatory.agent.instrument.server.HttpTraceHeaderInstrumentation;
import io.mcpobservatory.agent.instrument.server.ServerToClientRequestInstrumentation;
import io.mcpobservatory.agent.instrument.server.SessionMessageInstrumentation;
import io.mcpobservatory.agent.instrument.server.SpringAiAnnotatedToolErrorInstrumentation;
import io.mcpobservatory.agent.instrument.server.SpringAiToolErrorInstrumentation;
import io.mcpobservatory.agent.instrument.server.SpringWebTraceHeaderInstrumentation;
import io.mcpobservatory.agent.instrument.server.StatelessMessageInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableInitializeInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableNotificationInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableResponseStreamInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableStreamInstrumentation;
import io.mcpobservatory.agent.instrument.server.StreamableTransportInstrumentation;
import io.mcpobservatory.agent.instrument.server.ToolDispatchInstrumentation;
import io.mcpobservatory.agent.instrument.session.SessionCloseInstrumentation;
import io.mcpobservatory.log.Log;
import java.lang.instrument.ClassFileTransformer;
import java.util.List;

/** All instrumentation points, and the transformer that applies them. */
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
            new HttpTraceHeaderInstrumentation(),
            new SpringWebTraceHeaderInstrumentation(),
            new SpringAiToolErrorInstrumentation(),
            new SpringAiAnnotatedToolErrorInstrumentation(),
            new SessionCloseInstrumentation(),
            // SDK 2.2's modern API (io.modelcontextprotocol.modern): its own server, transports and client
            new ModernServerRequestInstrumentation(),
            new ModernTransportFrameInstrumentation(),
            new ModernSyncToolInstrumentation(),
            new ModernClientRequestInstrumentation(),
            new ModernSyncClientInstrumentation());

    /** Decides from names and direct supertypes which MCP classes the transformer needs to read at all. */
    static final CandidateFilter CANDIDATES = new CandidateFilter(ALL);

    private Instrumentations() {
    }

    /** Whether a class about to be defined may be one that some point instruments (else it is not even read). */
    public static boolean mayInstrument(String internalName, byte[] classFile) {
        return CANDIDATES.mayInstrument(internalName, classFile);
    }

    /**
     * A transformer for SDK classes, not registered with the JVM: the watcher calls it for candidate classes only. A
     * class it cannot instrument is one warning naming it; the class then runs as it is.
     */
    public static ClassFileTransformer transformer(boolean debug) {
        return new McpTransformer(ALL, new McpTransformer.Listener() {
            @Override
            public void transformed(String className, List<SdkMethod> advised) {
                if (debug) {
                    Log.info("instrumented " + className + " " + advised.size() + " method(s)");
                }
            }

            @Override
            public void failed(String className, Throwable error) {
                Log.warnOnce("instrument:" + className, "could not instrument " + className + "; it runs untraced: "
                        + error);
            }
        });
    }

    /**
     * Whether some instrumentation point may apply to this already-loaded class: on attach, only those are
     * retransformed (the transformer then decides by the class file, as at load time).
     */
    public static boolean instruments(Class<?> type) {
        return CANDIDATES.mayInstrument(type);
    }
}
