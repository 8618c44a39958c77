package io.mcpobservatory.agent.attach;

import io.mcpobservatory.agent.attach.LocalJvms.Jvm;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;
import java.util.stream.Collectors;

/**
 * Turns the {@code attach} target into one JVM: all digits is a pid, anything else a regular expression searched in the
 * main class or jar (and arguments) of the JVMs {@code list} shows. Checks that a pid names a process this user may
 * attach to before anything is sent to it.
 */
final class TargetSelector {

    /** The chosen JVM: its pid and a description for messages. */
    static final class Target {
        final long pid;
        /** For messages: the main class or jar and arguments; null until read from the attached JVM. */
        final String description;

        Target(long pid, String description) {
            this.pid = pid;
            this.description = description;
        }
    }

    private final String jar;

    TargetSelector(String jar) {
        this.jar = jar;
    }

    Target select(String target) throws CliException {
        if (target.matches("\\d+")) {
            return byPid(Long.parseLong(target));
        }
        return byPattern(target);
    }

    private Target byPid(long pid) throws CliException {
        Optional<ProcessHandle> process = ProcessHandle.of(pid);
        if (process.isEmpty() || !process.get().isAlive()) {
            throw new CliException(CliException.NO_TARGET, "no process with pid " + pid
                    + ": run `java -jar " + jar + " list` to see the JVMs you can attach to");
        }
        if (pid == ProcessHandle.current().pid()) {
            throw new CliException(CliException.NO_TARGET, "pid " + pid + " is this command's own JVM: give the pid of"
                    + " the server (see `list`)");
        }
        checkSameUser(pid, process.get());
        UnlistedProcess proc = new UnlistedProcess(pid);
        proc.checkNotDisabled(jar);
        if (proc.isHotSpotWithPerfData()) {
            return new Target(pid, null); // described from its system properties once attached
        }
        for (Jvm jvm : LocalJvms.list()) {
            if (jvm.pid == pid) {
                return new Target(pid, jvm.displayName);
            }
        }
        proc.checkAttachable(jar);
        return new Target(pid, process.get().info().commandLine().orElse("pid " + pid));
    }

    /**
     * The JVM only lets its own user (or root) in, and {@code /proc} is closed to others too: say so, and how, rather
     * than let the attach time out.
     */
    private void checkSameUser(long pid, ProcessHandle process) throws CliException {
        Optional<String> me = ProcessHandle.current().info().user();
        Optional<String> owner = process.info().user();
        if (me.isPresent() && owner.isPresent() && !me.get().equals(owner.get()) && !me.get().equals("root")) {
            throw new CliException(CliException.ATTACH_FAILED, "pid " + pid + " runs as user '" + owner.get()
                    + "' and you are '" + me.get() + "': run the command as that user, e.g. sudo -u " + owner.get()
                    + " " + javaCommand() + " -jar " + jar + " attach " + pid);
        }
    }

    private Target byPattern(String regex) throws CliException {
        Pattern pattern;
        try {
            pattern = Pattern.compile(regex);
        } catch (PatternSyntaxException e) {
            throw new CliException(CliException.USAGE, "'" + regex + "' is neither a pid nor a valid regular"
                    + " expression: " + e.getDescription());
        }
        List<Jvm> matches = new ArrayList<>();
        for (Jvm jvm : LocalJvms.list()) {
            if (pattern.matcher(jvm.displayName).find()) {
                matches.add(jvm);
            }
        }
        if (matches.isEmpty()) {
            throw new CliException(CliException.NO_TARGET, "no JVM's main class or jar matches '" + regex
                    + "': run `java -jar " + jar + " list` to see the JVMs you can attach to");
        }
        if (matches.size() > 1) {
            throw new CliException(CliException.NO_TARGET, matches.size() + " JVMs match '" + regex + "': "
                    + matches.stream().map(j -> j.pid + " (" + j.displayName + ")").collect(Collectors.joining(", "))
                    + "; give a pid or a narrower pattern");
        }
        return new Target(matches.get(0).pid, matches.get(0).displayName);
    }

    static String javaCommand() {
        return ProcessHandle.current().info().command().orElse("java");
    }
}
