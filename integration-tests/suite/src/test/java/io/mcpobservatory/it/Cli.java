package io.mcpobservatory.it;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/** One run of the agent jar's command line, {@code <java> -jar agent.jar args...}, as a user types it. */
final class Cli {

    final int exitCode;
    final String stdout;
    final String stderr;
    final long millis;

    private Cli(int exitCode, String stdout, String stderr, long millis) {
        this.exitCode = exitCode;
        this.stdout = stdout;
        this.stderr = stderr;
        this.millis = millis;
    }

    static Cli runWith(Path dir, String java, String... args) throws Exception {
        List<String> command = new ArrayList<>(List.of(java, "-jar", Apps.agentJar().toString()));
        command.addAll(List.of(args));
        Path out = Files.createTempFile(dir, "cli-", ".out");
        Path err = Files.createTempFile(dir, "cli-", ".err");
        long start = System.nanoTime();
        Process process = Apps.process(command).directory(dir.toFile())
                .redirectOutput(out.toFile()).redirectError(err.toFile()).start();
        if (!process.waitFor(60, TimeUnit.SECONDS)) {
            process.destroyForcibly();
            throw new AssertionError("command did not finish in 60 s: " + command + "\n" + Files.readString(err));
        }
        return new Cli(process.exitValue(), Files.readString(out), Files.readString(err),
                (System.nanoTime() - start) / 1_000_000);
    }

    static Cli run(Path dir, String... args) throws Exception {
        return runWith(dir, Apps.java(), args);
    }

    @Override
    public String toString() {
        return "exit " + exitCode + "\nstdout:\n" + stdout + "stderr:\n" + stderr;
    }
}
