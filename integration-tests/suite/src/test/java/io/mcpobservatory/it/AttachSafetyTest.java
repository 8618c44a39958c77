package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.List;
import java.util.UUID;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What {@code attach} must never do: harm a JVM without the MCP SDK, signal a JVM that refuses attach or a process that is
 * not a JVM, or fail without saying, in one line and with an exit code, what to do.
 */
class AttachSafetyTest {

    @TempDir
    Path dir;

    /** Unique per test run, so the patterns below never meet JVMs of other runs on the machine. */
    private final String marker = "attach-it-" + UUID.randomUUID();

    @Test
    void attachToAJvmWithoutTheSdkDoesNoHarm() throws Exception {
        Path classLog = dir.resolve("classes.log");
        try (DrivenClient app = idleApp("plain", "-Xlog:class+load=info:file=" + classLog)) {
            app.send("before");
            Cli attach = Cli.run(dir, "attach", Long.toString(app.process.pid()));
            assertEquals(0, attach.exitCode, attach.toString());
            assertTrue(attach.stdout.contains("no MCP SDK class is loaded yet"), attach.toString());
            assertTrue(app.send("after").endsWith(" agentThreads=0"), "no agent thread started");
            app.quit();
            assertEquals(0, app.process.exitValue(), app.stderr());
            assertTrue(app.stderr().contains("[mcp-observatory] attached; no MCP SDK class is loaded yet"), app.stderr());
        }
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains("io.mcpobservatory.agent.McpClassWatcher"), "the agent was installed");
        assertFalse(loaded.contains("io.mcpobservatory.shaded"), "no ASM, jackson or queue class was loaded");
        assertFalse(loaded.contains("io.mcpobservatory.export.SpanPipeline"), "no pipeline was started");
        assertFalse(Files.exists(dir.resolve("mcp-observatory")), "no span file was created");
    }

    @Test
    void noSuchPid() throws Exception {
        Cli cli = Cli.run(dir, "attach", "2147483646");
        assertOneLineError(cli, 3, "no process with pid 2147483646");
    }

    @Test
    void noMatchAndSeveralMatches() throws Exception {
        assertOneLineError(Cli.run(dir, "attach", marker), 3, "no JVM's main class or jar matches");
        try (DrivenClient one = idleApp("one"); DrivenClient two = idleApp("two")) {
            Cli cli = Cli.run(dir, "attach", marker);
            assertOneLineError(cli, 3, "2 JVMs match");
            assertTrue(cli.stderr.contains(one.process.pid() + " (") && cli.stderr.contains(two.process.pid() + " ("),
                    cli.toString());
            one.send("still here");
            two.send("still here");
        }
    }

    @Test
    void jvmThatRefusesAttachIsNeverSignalled() throws Exception {
        try (DrivenClient app = idleApp("refusing", "-XX:+DisableAttachMechanism")) {
            Cli cli = Cli.run(dir, "attach", Long.toString(app.process.pid()));
            assertOneLineError(cli, 4, "was started with -XX:+DisableAttachMechanism");
            // a SIGQUIT would have printed a thread dump on its stdout, where this answer is read
            app.send("still here");
            app.quit();
            assertFalse(app.stderr().contains("mcp-observatory"), app.stderr());
        }
    }

    @Test
    void jdk25StartedWithoutDynamicAgentLoading() throws Exception {
        String java25 = AttachTest.java(25);
        try (DrivenClient app = idleAppOn(java25, "no-dynamic-agents", "-XX:-EnableDynamicAgentLoading")) {
            Cli cli = Cli.runWith(dir, java25, "attach", Long.toString(app.process.pid()));
            assertOneLineError(cli, 4, "was started with -XX:-EnableDynamicAgentLoading");
            app.send("still here");
        }
    }

    @Test
    void processThatIsNotAJvmIsNeverSignalled() throws Exception {
        Process sleep = new ProcessBuilder("sleep", "60").start();
        try {
            Cli cli = Cli.run(dir, "attach", Long.toString(sleep.pid()));
            assertOneLineError(cli, 4, "is not a Java virtual machine");
            assertFalse(sleep.waitFor(200, TimeUnit.MILLISECONDS), "SIGQUIT would have killed it");
        } finally {
            sleep.destroyForcibly();
        }
    }

    @Test
    void javaWithoutTheAttachModule() throws Exception {
        // what a JRE looks like to the command: no jdk.attach in the boot layer (checked by hand with a jlink'ed JRE)
        List<String> command = List.of(Apps.java(), "--limit-modules", "java.base", "-jar", Apps.agentJar().toString(),
                "attach", "1");
        Process process = Apps.process(command).redirectErrorStream(true).start();
        String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
        assertTrue(process.waitFor(30, TimeUnit.SECONDS));
        assertEquals(5, process.exitValue(), output);
        assertEquals(1, output.lines().count(), output);
        assertTrue(output.contains("has no jdk.attach module") && output.contains("a JDK's java"), output);
    }

    @Test
    void usageErrors() throws Exception {
        assertOneLineError(Cli.run(dir), 2, "usage: java -jar mcp-observatory-agent.jar list");
        assertOneLineError(Cli.run(dir, "attach"), 2, "attach needs a pid or a pattern");
        assertOneLineError(Cli.run(dir, "attach", "1", "--set", "no.such.key=1"), 2, "is not a setting");
        assertOneLineError(Cli.run(dir, "attach", "(unclosed"), 2, "neither a pid nor a valid regular expression");
    }

    private static void assertOneLineError(Cli cli, int exitCode, String text) {
        assertEquals(exitCode, cli.exitCode, cli.toString());
        assertEquals("", cli.stdout, cli.toString());
        assertEquals(1, cli.stderr.lines().count(), cli.toString());
        assertTrue(cli.stderr.contains(text), cli.toString());
    }

    /**
     * An {@link IdleApp}, named by the run's marker, whose class path is the test classes only: no MCP SDK, and not the
     * agent's own classes either (the test's class path has them, unshaded, and the JVM would load the agent from there).
     */
    private DrivenClient idleApp(String name, String... jvmOptions) throws Exception {
        return idleAppOn(Apps.java(), name, jvmOptions);
    }

    private DrivenClient idleAppOn(String java, String name, String... jvmOptions) throws Exception {
        String classes = Paths.get(IdleApp.class.getProtectionDomain().getCodeSource().getLocation().toURI()).toString();
        List<String> command = new ArrayList<>(List.of(java));
        command.addAll(List.of(jvmOptions));
        command.addAll(List.of("-cp", classes, IdleApp.class.getName(), marker));
        return DrivenClient.start(dir, name, command);
    }

    /** Answers each line of stdin with {@code OK <line> agentThreads=<n>} until end of input. */
    public static final class IdleApp {
        public static void main(String[] args) throws Exception {
            System.out.println("READY");
            BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
            for (String line = in.readLine(); line != null && !line.equals("quit"); line = in.readLine()) {
                long agentThreads = Thread.getAllStackTraces().keySet().stream()
                        .filter(t -> t.getName().startsWith("mcp-observatory")).count();
                System.out.println("OK " + line + " agentThreads=" + agentThreads);
            }
        }
    }
}
