package io.mcpobservatory.agent;

import io.mcpobservatory.agent.config.AgentArgument;
import io.mcpobservatory.agent.config.AgentSettings;
import io.mcpobservatory.agent.config.Config;
import io.mcpobservatory.agent.config.ConfigKey;
import io.mcpobservatory.log.Log;
import java.lang.instrument.Instrumentation;

/**
 * Entry points: {@code premain} for {@code -javaagent}, {@code agentmain} for attach. Neither ever throws: an exception out
 * of premain would stop the application from starting, and one out of agentmain would only be a stack trace in a JVM that
 * did nothing wrong. Both write only to stderr: on a stdio MCP server stdout is the protocol.
 */
public final class AgentMain {

    private static AgentRuntime runtime;

    private AgentMain() {
    }

    public static void premain(String argument, Instrumentation instrumentation) {
        start(argument, instrumentation, false);
    }

    public static void agentmain(String argument, Instrumentation instrumentation) {
        start(argument, instrumentation, true);
    }

    private static synchronized void start(String argument, Instrumentation instrumentation, boolean attached) {
        long start = System.nanoTime();
        try {
            Config config = Config.load(argument);
            AgentSettings settings = AgentSettings.from(config);
            if (runtime != null) {
                // Attached again (or attached to a JVM started with -javaagent). The jar's classes are those of the
                // first load, so this static state is the running agent's: only the on/off switch can change now.
                reattached(argument, settings);
                return;
            }
            for (String warning : config.warnings()) {
                Log.warn(warning);
            }
            if (!settings.enabled) {
                Log.info("disabled (observatory.enabled=false): nothing is instrumented");
                return;
            }
            long configured = System.nanoTime();
            String bootstrap = BootstrapJar.install(instrumentation);
            long bootstrapped = System.nanoTime();
            runtime = new AgentRuntime(settings, instrumentation);
            // Nothing heavy happens until the MCP SDK shows up: the transformer and the pipeline start on its first class.
            McpClassWatcher watcher = new McpClassWatcher(runtime);
            runtime.watchedBy(watcher);
            instrumentation.addTransformer(watcher, true);
            runtime.publishState();
            if (settings.debug) {
                Log.info((attached ? "agentmain" : "premain") + " took " + (System.nanoTime() - start) / 1_000_000
                        + " ms: configuration " + (configured - start) / 1_000_000 + " ms, bootstrap classes "
                        + (bootstrapped - configured) / 1_000_000 + " ms (" + bootstrap + ")");
            }
            if (attached) {
                instrumentLoadedSdk(instrumentation);
            }
        } catch (Throwable t) {
            Log.warn("agent failed to start; the application runs without tracing", t);
        }
    }

    /**
     * On attach the SDK's classes were loaded before the watcher existed: start the runtime now and retransform them.
     * Sessions opened before the attach are traced from their next request (the bridge learns a session on first sight;
     * only what its initialize said, the client's name and version, stays unknown).
     */
    private static void instrumentLoadedSdk(Instrumentation instrumentation) {
        if (!LoadedSdkClasses.anyLoaded(instrumentation)) {
            Log.info("attached; no MCP SDK class is loaded yet: tracing starts when one is");
            return;
        }
        long start = System.nanoTime();
        if (runtime.transformer() == null) {
            return; // the runtime said why
        }
        long started = System.nanoTime();
        int classes = LoadedSdkClasses.retransform(instrumentation);
        Log.info("attached: started in " + (started - start) / 1_000_000 + " ms, then retransformed " + classes
                + " loaded MCP SDK classes in " + (System.nanoTime() - started) / 1_000_000 + " ms");
    }

    private static void reattached(String argument, AgentSettings settings) {
        AgentArgument parsed = AgentArgument.parse(argument);
        boolean onlySwitch = parsed.file == null && parsed.settings.keySet().stream()
                .allMatch(ConfigKey.ENABLED.key::equals);
        if (!onlySwitch) {
            Log.warn("the agent is already running in this JVM: only observatory.enabled can change now; the other"
                    + " settings given to this attach are ignored (restart the JVM to change them)");
        }
        Log.info(runtime.switchRecording(settings.enabled));
    }
}
