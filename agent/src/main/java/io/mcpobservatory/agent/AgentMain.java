package io.mcpobservatory.agent;

import io.mcpobservatory.agent.config.AgentSettings;
import io.mcpobservatory.agent.config.Config;
import io.mcpobservatory.log.Log;
import java.lang.instrument.Instrumentation;

/**
 * Entry points: {@code premain} for {@code -javaagent}, {@code agentmain} for attach. Neither ever throws: an exception out
 * of premain would stop the application from starting, and the agent must never do that.
 */
public final class AgentMain {

    private static volatile boolean started;

    private AgentMain() {
    }

    public static void premain(String argument, Instrumentation instrumentation) {
        start(argument, instrumentation);
    }

    public static void agentmain(String argument, Instrumentation instrumentation) {
        start(argument, instrumentation);
    }

    private static synchronized void start(String argument, Instrumentation instrumentation) {
        try {
            if (started) {
                Log.info("agent already running in this JVM; nothing to do");
                return;
            }
            Config config = Config.load(argument);
            AgentSettings settings = AgentSettings.from(config);
            for (String warning : config.warnings()) {
                Log.warn(warning);
            }
            if (!settings.enabled) {
                Log.info("disabled (observatory.enabled=false): nothing is instrumented");
                return;
            }
            BootstrapJar.appendTo(instrumentation);
            started = true;
            // Nothing heavy happens until the MCP SDK shows up: Byte Buddy and the pipeline start on its first class.
            instrumentation.addTransformer(new McpClassWatcher(new AgentRuntime(settings, instrumentation)), true);
        } catch (Throwable t) {
            Log.warn("agent failed to start; the application runs without tracing", t);
        }
    }
}
