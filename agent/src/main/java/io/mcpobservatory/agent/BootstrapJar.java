package io.mcpobservatory.agent;

import java.io.IOException;
import java.io.InputStream;
import java.lang.instrument.Instrumentation;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.util.jar.JarFile;

/**
 * Puts the bootstrap module (span model and bridge) on the bootstrap class path, where advice inlined into classes of any
 * class loader can reach it. It ships inside the agent jar as a nested jar (not as loose classes, so the system class
 * loader can never define a second copy) and is copied to a temporary file because the JVM only appends files.
 */
final class BootstrapJar {

    private static final String RESOURCE = "bootstrap.jar.bin";

    private BootstrapJar() {
    }

    static void appendTo(Instrumentation instrumentation) throws IOException {
        Path copy = Files.createTempFile("mcp-observatory-bootstrap-", ".jar");
        copy.toFile().deleteOnExit();
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            Files.copy(in, copy, StandardCopyOption.REPLACE_EXISTING);
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(copy.toFile()));
    }
}
