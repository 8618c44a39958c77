package io.mcpobservatory.agent.attach;

import com.sun.tools.attach.VirtualMachine;
import com.sun.tools.attach.VirtualMachineDescriptor;
import io.mcpobservatory.agent.AgentStatus;
import java.util.ArrayList;
import java.util.List;
import java.util.Properties;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.TimeUnit;

/**
 * The JVMs of this machine that accept attach, as the attach API lists them (the ones this user may attach to, with
 * attach enabled), without the JVM running this command.
 */
final class LocalJvms {

    /** A JVM that does not answer within this time is shown with an unknown agent status rather than holding the list. */
    private static final long STATUS_TIMEOUT_SECONDS = 5;

    /** One listed JVM: its pid and what it runs (the main class or jar, then its arguments). */
    static final class Jvm {
        final long pid;
        final String displayName;
        final VirtualMachineDescriptor descriptor;

        Jvm(VirtualMachineDescriptor descriptor) {
            this.pid = Long.parseLong(descriptor.id());
            this.displayName = descriptor.displayName();
            this.descriptor = descriptor;
        }
    }

    private LocalJvms() {
    }

    static List<Jvm> list() {
        long self = ProcessHandle.current().pid();
        List<Jvm> jvms = new ArrayList<>();
        for (VirtualMachineDescriptor descriptor : VirtualMachine.list()) {
            try {
                if (Long.parseLong(descriptor.id()) != self) {
                    jvms.add(new Jvm(descriptor));
                }
            } catch (NumberFormatException e) {
                // not a pid: some other attach provider's id, not something this command can name
            }
        }
        jvms.sort((a, b) -> Long.compare(a.pid, b.pid));
        return jvms;
    }

    /**
     * The agent column of {@code list} for each JVM: {@code -} without the agent, its version and state with it,
     * {@code ?} when the JVM could not be asked. Asked in parallel, each with a timeout, so one stuck JVM costs
     * seconds, not the whole list.
     */
    static List<String> agentColumn(List<Jvm> jvms) {
        ExecutorService pool = Executors.newFixedThreadPool(Math.max(1, Math.min(8, jvms.size())), runnable -> {
            Thread thread = new Thread(runnable, "list-status");
            thread.setDaemon(true);
            return thread;
        });
        try {
            List<CompletableFuture<String>> asked = new ArrayList<>();
            for (Jvm jvm : jvms) {
                asked.add(CompletableFuture.supplyAsync(() -> agentStatus(jvm), pool));
            }
            List<String> column = new ArrayList<>();
            for (CompletableFuture<String> answer : asked) {
                String status;
                try {
                    status = answer.get(STATUS_TIMEOUT_SECONDS, TimeUnit.SECONDS);
                } catch (Exception e) {
                    status = "?";
                }
                column.add(status);
            }
            return column;
        } finally {
            pool.shutdownNow();
        }
    }

    private static String agentStatus(Jvm jvm) {
        try {
            VirtualMachine vm = VirtualMachine.attach(jvm.descriptor);
            try {
                return describe(vm.getSystemProperties());
            } finally {
                vm.detach();
            }
        } catch (Exception | LinkageError e) {
            return "?";
        }
    }

    /** {@code -}, or {@code <version> <state>} from the properties the agent publishes in its JVM. */
    static String describe(Properties systemProperties) {
        String version = systemProperties.getProperty(AgentStatus.VERSION_PROPERTY);
        if (version == null) {
            return "-";
        }
        return version + " " + systemProperties.getProperty(AgentStatus.STATE_PROPERTY, "?");
    }
}
