package io.mcpobservatory.agent.attach;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;

/**
 * Shortens the JDK's attach handshake on Linux. {@code VirtualMachine.attach} asks a JVM that has no attach listener yet
 * to start one (a file and a SIGQUIT), then sleeps 100 ms, 200 ms, 300 ms ... between looks for the listener's socket:
 * a listener that is up after 110 ms is seen after 300 ms. That sleep ignores interrupts except to look again, so this
 * watcher looks every few milliseconds itself and interrupts the attaching thread once when the socket appears. Every
 * check the JDK makes (attachable, same user, the trigger file) stays the JDK's; where the socket cannot be found
 * (not Linux, no {@code /proc}) nothing is watched and the JDK's own timing applies.
 */
final class AttachSocketWatch implements AutoCloseable {

    private static final long POLL_MILLIS = 5;
    /** The JDK gives up after its own timeout (10 s by default); the watcher does not outlive a slow attach by much. */
    private static final long GIVE_UP_MILLIS = 15_000;

    private final Thread watcher;
    private volatile boolean closed;
    private volatile boolean interrupted;

    private AttachSocketWatch(List<Path> sockets, Thread attaching) {
        watcher = new Thread(() -> watch(sockets, attaching), "mcp-observatory-attach-watch");
        watcher.setDaemon(true);
    }

    /** Starts watching for the pid's attach socket, for the calling thread's attach; a no-op where it cannot. */
    static AttachSocketWatch start(long pid) {
        List<Path> sockets = socketPaths(pid);
        AttachSocketWatch watch = new AttachSocketWatch(sockets, Thread.currentThread());
        if (!sockets.isEmpty() && sockets.stream().noneMatch(Files::exists)) {
            watch.watcher.start(); // a listener already up needs no wait, and no interrupt
        }
        return watch;
    }

    /**
     * Where HotSpot puts the socket: {@code .java_pid<pid>} in the target's temporary directory, seen through
     * {@code /proc/<pid>/root} (a target in a container has its own {@code /tmp} and its own pid there).
     */
    static List<Path> socketPaths(long pid) {
        Path proc = Paths.get("/proc", Long.toString(pid));
        if (!Files.isDirectory(proc)) {
            return List.of();
        }
        long namespacePid = namespacePid(proc, pid);
        return List.of(proc.resolve("root/tmp/.java_pid" + namespacePid), Paths.get("/tmp/.java_pid" + pid));
    }

    /** The pid the target sees itself as: the last number of {@code NSpid:} in its status. */
    private static long namespacePid(Path proc, long pid) {
        try {
            for (String line : Files.readAllLines(proc.resolve("status"))) {
                if (line.startsWith("NSpid:")) {
                    String[] pids = line.substring("NSpid:".length()).trim().split("\\s+");
                    return Long.parseLong(pids[pids.length - 1]);
                }
            }
        } catch (IOException | RuntimeException e) {
            // the target's own pid is right outside containers
        }
        return pid;
    }

    private void watch(List<Path> sockets, Thread attaching) {
        long deadline = System.nanoTime() + GIVE_UP_MILLIS * 1_000_000;
        while (!closed && System.nanoTime() < deadline) {
            if (sockets.stream().anyMatch(Files::exists)) {
                synchronized (this) {
                    if (!closed) {
                        interrupted = true;
                        attaching.interrupt();
                    }
                }
                return;
            }
            try {
                Thread.sleep(POLL_MILLIS);
            } catch (InterruptedException e) {
                return;
            }
        }
    }

    /** Whether the watcher woke the attaching thread (a failed attach is then tried once more, without it). */
    boolean interrupted() {
        return interrupted;
    }

    /** Stops watching and clears an interrupt meant for the JDK's sleep that it did not consume. */
    @Override
    public void close() {
        synchronized (this) {
            closed = true;
        }
        Thread.interrupted();
    }
}
