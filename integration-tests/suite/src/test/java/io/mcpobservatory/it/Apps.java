package io.mcpobservatory.it;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;

/** Where the agent jar and the test applications of each SDK version are, and how to launch them. */
final class Apps {

    static final String SERVER = "io.mcpobservatory.it.app.TestServer";
    static final String CLIENT = "io.mcpobservatory.it.app.TestClient";
    static final String PHASED_CLIENT = "io.mcpobservatory.it.app.PhasedClient";
    static final String LAUNCHER = "io.mcpobservatory.it.app.IsolatedLauncher";

    private Apps() {
    }

    static Path agentJar() {
        Path jar = Paths.get(System.getProperty("it.agent.jar", "../../agent/target/mcp-observatory-agent.jar"))
                .toAbsolutePath().normalize();
        if (!Files.isRegularFile(jar)) {
            throw new IllegalStateException("agent jar not built: " + jar + " (run mvn package first)");
        }
        return jar;
    }

    static Path appsDir() {
        return Paths.get(System.getProperty("it.apps.dir", "../apps")).toAbsolutePath().normalize();
    }

    /**
     * Child JVMs compile with C1 only: they live seconds, mostly starting, and the suite starts some two hundred of them
     * on two cores, where C2's compile threads compete with the test's other JVM. The agent's behaviour does not depend
     * on the JIT tier; nothing here measures speed (the benchmarks do, with the JVM's defaults).
     */
    static final String QUICK_START = "-XX:TieredStopAtLevel=1";

    static String java() {
        return Paths.get(System.getProperty("java.home"), "bin", "java").toString();
    }

    /**
     * A process for a child JVM (or the agent's command line) without the test harness's own environment: its
     * {@code OBSERVATORY_TEST_JDBC_URL} has the agent's {@code OBSERVATORY_} prefix and would be warned about as an unknown
     * setting by every agent the tests start (the database URL reaches the agent as a system property when a test wants it).
     */
    static ProcessBuilder process(List<String> command) {
        if (!command.isEmpty() && command.get(0).equals(java()) && !command.contains(QUICK_START)) {
            command = new ArrayList<>(command);
            command.add(1, QUICK_START);
        }
        ProcessBuilder builder = new ProcessBuilder(command);
        builder.environment().remove(io.mcpobservatory.testing.TestDatabase.ENV);
        return builder;
    }

    /**
     * This test JVM's class path without the agent module's own (unshaded) jar, which the suite depends on only to order
     * the build: a child JVM given it would load the agent's classes from there, ahead of the -javaagent jar's relocated
     * copies, and run them against the application's ASM, or none.
     */
    static String testClassPath() {
        return java.util.Arrays.stream(System.getProperty("java.class.path").split(java.io.File.pathSeparator))
                .filter(entry -> !Path.of(entry).getFileName().toString().startsWith("mcp-observatory-agent")
                        && !entry.replace('\\', '/').contains("/agent/target/classes"))
                .collect(java.util.stream.Collectors.joining(java.io.File.pathSeparator));
    }

    /** Class path of the test apps for one SDK version: their classes plus the SDK and its dependencies. */
    static String classPath(String sdkVersion) {
        Path module = appsDir().resolve("sdk-" + sdkVersion);
        try {
            String dependencies = Files.readString(module.resolve("target/app-classpath.txt")).trim();
            return module.resolve("target/classes") + java.io.File.pathSeparator + dependencies;
        } catch (IOException e) {
            throw new UncheckedIOException("test app for SDK " + sdkVersion + " not built", e);
        }
    }

    static Path launcherClasses() {
        return appsDir().resolve("launcher/target/classes");
    }

    /** {@code java -javaagent:... -Dk=v ... -cp cp main args} as a list. */
    static List<String> javaCommand(boolean withAgent, List<String> jvmOptions, String classPath, String main,
                                    String... args) {
        List<String> command = new ArrayList<>();
        command.add(java());
        command.add(QUICK_START); // also for the stdio servers a client starts from this command line
        if (withAgent) {
            command.add("-javaagent:" + agentJar());
            // the tests count every span they cause, pings and notifications included (the product default leaves them
            // out of the export); a test's own -D, later on the line, wins
            command.add("-Dobservatory.sampling.ping=true");
        }
        command.addAll(jvmOptions);
        command.add("-cp");
        command.add(classPath);
        command.add(main);
        command.addAll(List.of(args));
        return command;
    }
}
