package io.mcpobservatory.agent.attach;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;
import static org.junit.jupiter.api.Assumptions.assumeTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The watcher against this JVM's own pid: a file where HotSpot would put its attach socket stands in for the listener
 * coming up (nothing attaches to the test JVM; the file is removed after each test).
 */
class AttachSocketWatchTest {

    private final long pid = ProcessHandle.current().pid();
    private final Path socket = Paths.get("/tmp/.java_pid" + pid);

    @BeforeEach
    void linuxWithoutAListener() {
        assumeTrue(Files.isDirectory(Paths.get("/proc/" + pid)), "Linux /proc only");
        assumeTrue(!Files.exists(socket), "this JVM's attach listener is already up");
    }

    @AfterEach
    void removeTheStandIn() throws Exception {
        Files.deleteIfExists(socket);
        Thread.interrupted();
    }

    @Test
    void looksInTheTargetsOwnTmpThroughProc() {
        List<Path> paths = AttachSocketWatch.socketPaths(pid);
        assertEquals(Paths.get("/proc/" + pid + "/root/tmp/.java_pid" + pid), paths.get(0));
        assertEquals(socket, paths.get(1));
        assertEquals(List.of(), AttachSocketWatch.socketPaths(Long.MAX_VALUE), "no such process: nothing to watch");
    }

    @Test
    void wakesTheAttachingThreadWhenTheSocketAppears() throws Exception {
        try (AttachSocketWatch watch = AttachSocketWatch.start(pid)) {
            Files.createFile(socket);
            try {
                Thread.sleep(10_000); // the JDK's sleep between looks for the socket
                fail("the watcher did not wake the sleeping thread");
            } catch (InterruptedException expected) {
                assertTrue(watch.interrupted());
            }
        }
        assertFalse(Thread.currentThread().isInterrupted());
    }

    @Test
    void aClosedWatchInterruptsNothing() throws Exception {
        AttachSocketWatch watch = AttachSocketWatch.start(pid);
        watch.close();
        Files.createFile(socket);
        Thread.sleep(100); // 20 of the watcher's looks
        assertFalse(Thread.currentThread().isInterrupted());
        assertFalse(watch.interrupted());
    }

    @Test
    void aListenerAlreadyUpIsNotWatched() throws Exception {
        Files.createFile(socket);
        try (AttachSocketWatch watch = AttachSocketWatch.start(pid)) {
            Thread.sleep(100);
            assertFalse(watch.interrupted());
            assertFalse(Thread.currentThread().isInterrupted());
        }
    }
}
