package io.mcpobservatory.agent.attach;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.DirectoryStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * A live process given by pid that the attach API does not list as an attachable JVM: finds out why, in the target's
 * {@code /proc} entries, before anything is sent to it. This matters because attaching to a JVM whose attach listener is
 * not running starts with a SIGQUIT: a HotSpot JVM with {@code -XX:+DisableAttachMechanism} answers it with a thread dump
 * on its stdout (the protocol of a stdio MCP server), and a process that is not a JVM at all is killed by it.
 */
final class UnlistedProcess {

    private static final String DISABLE_FLAG = "-XX:+DisableAttachMechanism";
    private static final List<String> OPTION_VARIABLES = List.of("JAVA_TOOL_OPTIONS=", "JDK_JAVA_OPTIONS=", "_JAVA_OPTIONS=");

    private final long pid;
    private final Path proc;

    UnlistedProcess(long pid) {
        this.pid = pid;
        this.proc = Paths.get("/proc", Long.toString(pid));
    }

    /**
     * Returns when attaching is safe anyway (the JVM's attach listener already runs, so no signal is sent); otherwise
     * throws with the reason and what to do.
     */
    void checkAttachable(String jar) throws CliException {
        if (!Files.isDirectory(proc)) {
            // Not Linux: without /proc there is no safe way to tell a refusing JVM from one that is just unlisted.
            throw new CliException(CliException.ATTACH_FAILED, "pid " + pid + " is not among the JVMs that accept"
                    + " attach (see `list`): it is not a HotSpot JVM, or it refuses attach; restart it with -javaagent:"
                    + jar);
        }
        String maps = read("maps");
        if (maps == null) {
            throw new CliException(CliException.ATTACH_FAILED, "cannot inspect pid " + pid
                    + " (no access to /proc/" + pid + "): run this command as the user that runs it");
        }
        if (maps.contains("libj9vm") || maps.contains("libj9thr")) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + pid + " runs an OpenJ9 JVM, whose attach"
                    + " mechanism differs: run this command with that JVM's own java (" + executable() + ")");
        }
        if (!maps.contains("/libjvm.so")) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + pid + " (" + commandName()
                    + ") is not a Java virtual machine: give the pid of a JVM (see `list`)");
        }
        checkNotDisabled(jar);
        if (!Files.exists(socketFile())) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + pid + " is a JVM that does not advertise the"
                    + " attach mechanism (" + DISABLE_FLAG + " in an options file, -XX:-UsePerfData, or still starting);"
                    + " attaching would signal it blindly: restart it with -javaagent:" + jar);
        }
    }

    /**
     * Whether the process is a HotSpot JVM that publishes its performance data (hsperfdata, in its own /tmp under its
     * namespace pid). Then the JDK's attach reads the attach capability from that data itself, and refuses a JVM that
     * disables attach before any signal is sent: the same guarantee as finding it in {@code list}, without reading every
     * JVM's data (~200 ms of the command on a machine with a few JVMs).
     */
    boolean isHotSpotWithPerfData() {
        String maps = read("maps");
        if (maps == null || !maps.contains("/libjvm.so") || maps.contains("libj9vm")) {
            return false;
        }
        String file = Long.toString(namespacePid());
        try (DirectoryStream<Path> dirs = Files.newDirectoryStream(proc.resolve("root/tmp"), "hsperfdata_*")) {
            for (Path dir : dirs) {
                if (Files.isRegularFile(dir.resolve(file))) {
                    return true;
                }
            }
        } catch (IOException | RuntimeException e) {
            // no access to its /tmp: the slower check by list decides
        }
        return false;
    }

    /**
     * Throws when the process was started with {@code -XX:+DisableAttachMechanism} on its command line or in an option
     * variable (read from /proc: nothing is sent to it). Checked before the JDK's attach too, which refuses such a JVM
     * with a bare "does not support the attach mechanism".
     */
    void checkNotDisabled(String jar) throws CliException {
        if (declaresDisabledAttach()) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + pid + " was started with " + DISABLE_FLAG
                    + ", which refuses every attach: restart it with -javaagent:" + jar + " instead");
        }
    }

    private boolean declaresDisabledAttach() {
        String cmdline = read("cmdline");
        if (cmdline != null && List.of(cmdline.split("\0")).contains(DISABLE_FLAG)) {
            return true;
        }
        String environ = read("environ");
        if (environ != null) {
            for (String variable : environ.split("\0")) {
                for (String name : OPTION_VARIABLES) {
                    if (variable.startsWith(name) && variable.contains(DISABLE_FLAG)) {
                        return true;
                    }
                }
            }
        }
        return false;
    }

    /** The attach listener's socket, in the target's own /tmp and named with its pid inside its pid namespace. */
    private Path socketFile() {
        return proc.resolve("root/tmp/.java_pid" + namespacePid());
    }

    /** The pid inside the process's own pid namespace (a container's), which names its files in its /tmp. */
    private long namespacePid() {
        long namespacePid = pid;
        String status = read("status");
        if (status != null) {
            for (String line : status.split("\n")) {
                if (line.startsWith("NSpid:")) {
                    String[] ids = line.substring("NSpid:".length()).trim().split("\\s+");
                    namespacePid = Long.parseLong(ids[ids.length - 1]);
                }
            }
        }
        return namespacePid;
    }

    private String executable() {
        try {
            return Files.readSymbolicLink(proc.resolve("exe")).toString();
        } catch (IOException | RuntimeException e) {
            return "its bin/java";
        }
    }

    private String commandName() {
        String comm = read("comm");
        return comm == null ? "unknown command" : comm.trim();
    }

    private String read(String entry) {
        try {
            return new String(Files.readAllBytes(proc.resolve(entry)), StandardCharsets.ISO_8859_1);
        } catch (IOException | RuntimeException e) {
            return null;
        }
    }
}
