package io.mcpobservatory.agent.attach;

import io.mcpobservatory.agent.attach.LocalJvms.Jvm;
import java.io.PrintStream;
import java.util.List;

/** {@code list}: the JVMs this user can attach to, with pid, whether the agent is in, and the main class or jar. */
final class ListCommand {

    private ListCommand() {
    }

    static void run(PrintStream out) {
        List<Jvm> jvms = LocalJvms.list();
        List<String> agent = LocalJvms.agentColumn(jvms);
        String format = "%-8s %-32s %s%n"; // 32: "<version> waiting-for-sdk" and two spaces
        out.printf(format, "PID", "AGENT", "MAIN CLASS OR JAR");
        for (int i = 0; i < jvms.size(); i++) {
            Jvm jvm = jvms.get(i);
            out.printf(format, jvm.pid, agent.get(i), jvm.displayName.isBlank() ? "?" : jvm.displayName);
        }
    }
}
