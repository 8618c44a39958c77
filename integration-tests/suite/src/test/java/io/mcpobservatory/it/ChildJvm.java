package io.mcpobservatory.it;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** A child JVM whose stdout and stderr go to files in the test's directory. */
final class ChildJvm implements AutoCloseable {

    final Process process;
    final Path stdout;
    final Path stderr;

    private ChildJvm(Process process, Path stdout, Path stderr) {
        this.process = process;
        this.stdout = stdout;
        this.stderr = stderr;
    }

    static ChildJvm start(Path dir, String name, List<String> command) throws IOException {
        Path out = dir.resolve(name + ".out");
        Path err = dir.resolve(name + ".err");
        Process process = Apps.process(command)
                .directory(dir.toFile())
                .redirectOutput(out.toFile())
                .redirectError(err.toFile())
                .start();
        return new ChildJvm(process, out, err);
    }

    /** Waits for the process to exit on its own; fails the test when it does not in time. */
    int awaitExit(Duration timeout) throws Exception {
        if (!process.waitFor(timeout.toMillis(), TimeUnit.MILLISECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("child JVM did not finish within " + timeout + "; stdout:\n" + stdout()
                    + "\nstderr:\n" + stderr());
        }
        return process.exitValue();
    }

    /** Waits until stdout has a line starting with {@code prefix}, and returns that line. */
    String awaitLine(String prefix, Duration timeout) throws Exception {
        long deadline = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < deadline) {
            for (String line : Files.readAllLines(stdout)) {
                if (line.startsWith(prefix)) {
                    return line;
                }
            }
            if (!process.isAlive()) {
                break;
            }
            Thread.sleep(100);
        }
        throw new AssertionError("no line '" + prefix + "' from child JVM; stdout:\n" + stdout() + "\nstderr:\n" + stderr());
    }

    /** SIGTERM, as an orchestrator stops a server: shutdown hooks (the agent's flush) run. */
    int stop(Duration timeout) throws Exception {
        process.destroy();
        return awaitExit(timeout);
    }

    String stdout() throws IOException {
        return Files.readString(stdout);
    }

    String stderr() throws IOException {
        return Files.readString(stderr);
    }

    @Override
    public void close() {
        if (process.isAlive()) {
            process.destroyForcibly();
        }
    }
}
