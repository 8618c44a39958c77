package io.mcpobservatory.agent;

import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.util.jar.JarFile;

/**
 * Puts the bootstrap module (span model and bridge) on the bootstrap class path, where advice in classes of any class
 * loader can reach it. It ships inside the agent jar as a nested jar (not as loose classes, so the system class loader
 * can never define a second copy) and is copied to a file of its own because the JVM only appends files.
 *
 * <p>The file is named by the clock and created atomically ({@code File.createNewFile}: never an existing
 * file or a link planted under that name), with {@code java.io} only: {@code Files.createTempFile} (random names, so
 * {@code SecureRandom}) and the first use of NIO's files cost 25 to 50 ms of every start on the 2-core test machine.
 */
final class BootstrapJar {

    private static final String RESOURCE = "bootstrap.jar.bin";

    private BootstrapJar() {
    }

    static void appendTo(Instrumentation instrumentation) throws IOException {
        File directory = new File(System.getProperty("java.io.tmpdir"));
        String prefix = "mcp-observatory-bootstrap-"; // no process id: ProcessHandle's first use alone costs ~20 ms
        File copy = new File(directory, prefix + Long.toHexString(System.nanoTime()) + ".jar");
        for (int attempt = 1; !copy.createNewFile(); attempt++) { // atomic: fails if the name exists, as a link too
            if (attempt == 10) {
                throw new IOException("could not create a file named " + prefix + "* in " + directory);
            }
            copy = new File(directory, prefix + Long.toHexString(System.nanoTime()) + ".jar");
        }
        copy.deleteOnExit();
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE);
             OutputStream out = new FileOutputStream(copy)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            in.transferTo(out);
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(copy));
    }
}
