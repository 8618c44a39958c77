package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The MCP SDK loaded by a child class loader (as in a Spring Boot fat jar or a plugin host), not the system one: the
 * server's main class and the SDK are only reachable through a URLClassLoader, and are traced all the same.
 */
class ChildClassLoaderTest {

    @TempDir
    Path dir;

    @Test
    void sdkInChildClassLoaderIsTraced() throws Exception {
        Path spanFile = dir.resolve("spans.jsonl");
        String sdkClassPath = Apps.classPath("2.1.0");
        List<String> server = Apps.javaCommand(true, List.of("-Dobservatory.jsonl.path=" + spanFile,
                        "-Dobservatory.export.interval=100ms"),
                Apps.launcherClasses().toString(), Apps.LAUNCHER, sdkClassPath, Apps.SERVER, "stdio");
        List<String> clientArgs = new ArrayList<>(List.of("stdio"));
        clientArgs.addAll(server);
        try (ChildJvm client = ChildJvm.start(dir, "client", Apps.javaCommand(false, List.of(), sdkClassPath,
                Apps.CLIENT, clientArgs.toArray(new String[0])))) {
            assertEquals(0, client.awaitExit(Scenario.TIMEOUT), client.stderr());
            assertTrue(client.stdout().contains("DONE"), client.stdout());
        }
        Spans spans = Spans.read(spanFile);
        assertEquals(7, spans.method("tools/call").size(), spans.toString());
        assertEquals("ok", Spans.text(spans.tool("slow"), "status"));
        assertEquals("tool_error", Spans.text(spans.tool("is_error"), "error_type"));
        assertEquals("it-client", Spans.text(spans.tool("fast"), "client_name"));
        assertEquals("IsolatedLauncher", Spans.text(spans.tool("fast"), "service"), "default service name: main class");
    }
}
