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
            assertEquals("", app.stderr().replaceAll("(?m)^OpenJDK 64-Bit Server VM warning: Sharing is only supported"
                    + ".*\\R", ""));
        }
        String loaded = Files.readString(classLog);
        assertTrue(loaded.contains("io.mcpobservatory.agent.McpClassWatcher"), "the agent was installed");
        assertFalse(loaded.contains("io.mcpobservatory.shaded"), "no ASM, jackson or queue class was loaded");
        assertFalse(loaded.contains("io.mcpobservatory.export.SpanPipeline"), "no pipeline was started");
        assertFalse(Files.exists(dir.resolve("mcp-observatory")), "no span file was created");
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
