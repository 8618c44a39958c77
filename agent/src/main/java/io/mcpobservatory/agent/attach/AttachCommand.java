package io.mcpobservatory.agent.attach;

import com.sun.tools.attach.AgentInitializationException;
import com.sun.tools.attach.AgentLoadException;
import com.sun.tools.attach.AttachNotSupportedException;
import com.sun.tools.attach.VirtualMachine;
import io.mcpobservatory.agent.AgentStatus;
import io.mcpobservatory.agent.attach.TargetSelector.Target;
import java.io.IOException;
import java.io.PrintStream;
import java.util.Properties;

/**
 * {@code attach}: loads the agent jar into one running JVM, or does nothing when that would change nothing. The decision
 * is taken here, from the status the agent publishes in the target ({@link AgentStatus}), so that a second attach never
 * even loads the jar again; the agent applies the same rules itself in case two commands race.
 */
final class AttachCommand {

    private static final int MIN_JAVA = 17;
    private static final int FIRST_JAVA_WARNING_DYNAMIC_AGENTS = 21;

    private final String jar;
    private final PrintStream out;
    private final PrintStream err;

    AttachCommand(String jar, PrintStream out, PrintStream err) {
        this.jar = jar;
        this.out = out;
        this.err = err;
    }

    void run(Target target, AttachRequest request, boolean enable) throws CliException {
        long start = System.nanoTime();
        VirtualMachine vm = attach(target);
        try {
            Properties before = vm.getSystemProperties();
            checkJavaVersion(target, before);
            String version = before.getProperty(AgentStatus.VERSION_PROPERTY);
            String state = before.getProperty(AgentStatus.STATE_PROPERTY);
            if (AgentStatus.FAILED.equals(state)) {
                throw new CliException(CliException.ATTACH_FAILED, "the agent in pid " + target.pid + " failed to start"
                        + " earlier (see that JVM's stderr, lines starting with [mcp-observatory]); restart the JVM to"
                        + " try again");
            }
            if (version != null && enable != AgentStatus.OFF.equals(state)) {
                out.println("MCP Observatory " + version + " is already in pid " + target.pid + " (" + state
                        + "): nothing done." + (enable ? " To stop recording: attach " + target.pid
                        + " --set observatory.enabled=false" : ""));
                return;
            }
            if (version == null && !enable) {
                out.println("observatory.enabled=false and there is no agent in pid " + target.pid + ": nothing done.");
                return;
            }
            if (version == null) {
                checkDynamicLoading(target, vm, before);
            }
            vm.loadAgent(jar, request.argument());
            report(target, before, vm.getSystemProperties(), version != null, (System.nanoTime() - start) / 1_000_000);
        } catch (AgentLoadException e) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + target.pid + " refused the agent ("
                    + e.getMessage() + "): restart it with -javaagent:" + jar);
        } catch (AgentInitializationException e) {
            throw new CliException(CliException.ATTACH_FAILED, "the agent failed to start in pid " + target.pid + " ("
                    + e.getMessage() + "): see that JVM's stderr, lines starting with [mcp-observatory]");
        } catch (IOException e) {
            throw new CliException(CliException.ATTACH_FAILED, "lost the connection to pid " + target.pid + " ("
                    + e.getMessage() + "): check that it still runs, then try again");
        } finally {
            try {
                vm.detach();
            } catch (IOException e) {
                // the target went away; nothing to release
            }
        }
    }

    private VirtualMachine attach(Target target) throws CliException {
        String pid = Long.toString(target.pid);
        try {
            try (AttachSocketWatch watch = AttachSocketWatch.start(target.pid)) {
                try {
                    return VirtualMachine.attach(pid);
                } catch (IOException e) {
                    if (!watch.interrupted()) {
                        throw e;
                    }
                }
            }
            // the watcher's interrupt met something other than the JDK's sleep: once more, the JDK's own way
            return VirtualMachine.attach(pid);
        } catch (AttachNotSupportedException e) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + target.pid + " does not accept attach ("
                    + e.getMessage() + "): it is not a HotSpot JVM, or it refuses attach; restart it with -javaagent:"
                    + jar);
        } catch (IOException e) {
            throw new CliException(CliException.ATTACH_FAILED, "attach to pid " + target.pid + " failed (" + e.getMessage()
                    + "): run the command as the user that runs that JVM, with a JDK of the same or a newer version");
        }
    }

    private void checkJavaVersion(Target target, Properties properties) throws CliException {
        int feature = feature(properties.getProperty("java.specification.version"));
        if (feature < MIN_JAVA) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + target.pid + " runs Java "
                    + properties.getProperty("java.specification.version") + "; the agent needs Java " + MIN_JAVA
                    + " or later: run the server on a newer JVM");
        }
    }

    /**
     * JDK 21+ refuses agents loaded at run time when started with {@code -XX:-EnableDynamicAgentLoading}, and otherwise
     * prints a warning on the target's stderr for them unless started with {@code -XX:+EnableDynamicAgentLoading} (JEP
     * 451). The JVM's options are in its agent properties (command line and flags file).
     */
    private void checkDynamicLoading(Target target, VirtualMachine vm, Properties properties)
            throws IOException, CliException {
        if (feature(properties.getProperty("java.specification.version")) < FIRST_JAVA_WARNING_DYNAMIC_AGENTS) {
            return;
        }
        Properties agentProperties = vm.getAgentProperties();
        String jvmArgs = agentProperties.getProperty("sun.jvm.args", "") + " "
                + agentProperties.getProperty("sun.jvm.flags", "");
        if (jvmArgs.contains("-XX:-EnableDynamicAgentLoading")) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + target.pid + " was started with"
                    + " -XX:-EnableDynamicAgentLoading, which refuses agents loaded at run time: restart it with"
                    + " -javaagent:" + jar);
        }
        if (!jvmArgs.contains("-XX:+EnableDynamicAgentLoading")) {
            err.println("note: this JVM (Java " + properties.getProperty("java.specification.version") + ") prints a"
                    + " warning on its stderr about a dynamically loaded agent (JEP 451); harmless, and"
                    + " -XX:+EnableDynamicAgentLoading at its start silences it");
        }
    }

    private void report(Target target, Properties before, Properties after, boolean wasLoaded, long millis)
            throws CliException {
        String version = after.getProperty(AgentStatus.VERSION_PROPERTY);
        String state = after.getProperty(AgentStatus.STATE_PROPERTY);
        if (version == null || AgentStatus.FAILED.equals(state)) {
            throw new CliException(CliException.ATTACH_FAILED, "the agent did not start in pid " + target.pid
                    + ": see that JVM's stderr, lines starting with [mcp-observatory]");
        }
        String what;
        if (AgentStatus.OFF.equals(state)) {
            what = "recording switched off (attach again to switch it back on)";
        } else if (AgentStatus.WAITING.equals(state)) {
            what = "no MCP SDK class is loaded yet; tracing starts when one is";
        } else {
            what = wasLoaded ? "recording switched back on" : "recording";
        }
        String description = target.description != null ? target.description
                : before.getProperty("sun.java.command", "pid " + target.pid); // what list shows for it
        out.println((wasLoaded ? "pid " : "attached MCP Observatory " + version + " to pid ") + target.pid + " ("
                + description + "): " + what + " [" + millis + " ms]");
    }

    /** 17 from "17", 8 from "1.8". */
    static int feature(String specificationVersion) {
        if (specificationVersion == null) {
            return 0;
        }
        String text = specificationVersion.startsWith("1.") ? specificationVersion.substring(2) : specificationVersion;
        int end = 0;
        while (end < text.length() && Character.isDigit(text.charAt(end))) {
            end++;
        }
        return end == 0 ? 0 : Integer.parseInt(text.substring(0, end));
    }
}
