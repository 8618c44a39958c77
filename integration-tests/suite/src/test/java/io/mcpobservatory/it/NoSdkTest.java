package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * With no MCP SDK in the JVM the agent does nothing measurable: no thread, no file, no ASM loaded, not a byte
 * printed. The JVM's class-load log is the witness.
 */
class NoSdkTest {

    @TempDir
    Path dir;

    @Test
    void agentStaysDormantWithoutTheSdk() throws Exception {
        Path classLog = dir.resolve("classes.log");
        String classPath = Apps.testClassPath();
        try (ChildJvm app = ChildJvm.start(dir, "plain", Apps.javaCommand(true,
                List.of("-Xlog:class+load=info:file=" + classLog), classPath, PlainApp.class.getName()))) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            assertEquals("plain app ran" + System.lineSeparator(), app.stdout());
            // not even the JVM's "Sharing is only supported for boot loader classes" (no boot class path append)
            assertEquals("", app.stderr());
        }
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains("io.mcpobservatory.agent.McpClassWatcher"), "the agent was installed");
        assertFalse(loaded.contains("io.mcpobservatory.shaded"), "no ASM, jackson or queue class was loaded");
        assertFalse(loaded.contains("io.mcpobservatory.export.SpanPipeline"), "no pipeline was started");
        assertFalse(Files.exists(dir.resolve("mcp-observatory")), "no span file was created");
    }

    /**
     * An application started with a class-data sharing archive of its own keeps loading its classes from it with the
     * agent: the agent's bootstrap classes are defined in the boot loader, not appended to the boot class path (which
     * makes the JVM load only boot classes from the archive).
     */
    @Test
    void applicationClassesStayInTheSharedArchive() throws Exception {
        Path archive = dir.resolve("app.jsa");
        Path classList = dir.resolve("app.classlist");
        String classPath = appJar().toString(); // the JVM archives classes from jar files only
        // a static AppCDS archive, as its users make one (a dynamic archive is not affected by a boot class path append)
        try (ChildJvm list = ChildJvm.start(dir, "list", Apps.javaCommand(false,
                List.of("-XX:DumpLoadedClassList=" + classList), classPath, PlainApp.class.getName()))) {
            assertEquals(0, list.awaitExit(Duration.ofSeconds(60)), list.stderr());
        }
        try (ChildJvm dump = ChildJvm.start(dir, "dump", List.of(Apps.javaCommand(false, List.of(), classPath,
                PlainApp.class.getName()).get(0), "-Xshare:dump", "-XX:SharedClassListFile=" + classList,
                "-XX:SharedArchiveFile=" + archive, "-cp", classPath))) {
            assertEquals(0, dump.awaitExit(Duration.ofSeconds(120)), dump.stderr());
        }
        assertTrue(Files.size(archive) > 0, "the JVM wrote the archive");
        Path classLog = dir.resolve("shared.log");
        try (ChildJvm app = ChildJvm.start(dir, "shared", Apps.javaCommand(true,
                List.of("-XX:SharedArchiveFile=" + archive, "-Xlog:class+load=info:file=" + classLog), classPath,
                PlainApp.class.getName()))) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stderr());
            String plainApp = Files.readAllLines(classLog).stream()
                    .filter(line -> line.contains(" " + PlainApp.class.getName() + " ")).findFirst().orElse("");
            assertTrue(plainApp.contains("shared objects file"), "the application class came from the archive: "
                    + plainApp);
            assertEquals("", app.stderr());
        }
    }

    /** A jar holding the application alone. */
    private Path appJar() throws Exception {
        Path jar = dir.resolve("plain-app.jar");
        String entry = PlainApp.class.getName().replace('.', '/') + ".class";
        try (java.util.jar.JarOutputStream out = new java.util.jar.JarOutputStream(Files.newOutputStream(jar));
             java.io.InputStream in = PlainApp.class.getClassLoader().getResourceAsStream(entry)) {
            out.putNextEntry(new java.util.jar.JarEntry(entry));
            in.transferTo(out);
        }
        return jar;
    }

    /** Prints the threads it sees: a drainer thread would show the agent started its pipeline. */
    public static final class PlainApp {
        public static void main(String[] args) {
            for (Thread thread : Thread.getAllStackTraces().keySet()) {
                if (thread.getName().startsWith("mcp-observatory")) {
                    System.out.println("unexpected agent thread " + thread.getName());
                }
            }
            System.out.println("plain app ran");
        }
    }
}
