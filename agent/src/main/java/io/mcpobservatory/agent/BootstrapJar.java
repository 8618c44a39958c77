package io.mcpobservatory.agent;

import io.mcpobservatory.log.Log;
import java.io.ByteArrayInputStream;
import java.io.File;
import java.io.FileOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.lang.instrument.Instrumentation;
import java.lang.reflect.InvocationTargetException;
import java.lang.reflect.Method;
import java.security.ProtectionDomain;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarInputStream;

/**
 * Puts the bootstrap module (span model and bridge) into the bootstrap class loader, where advice in classes of any
 * class loader can reach it. It ships inside the agent jar as a nested jar (not as loose classes, so the system class
 * loader can never define a second copy).
 *
 * <p>The classes are defined into the bootstrap loader directly ({@code jdk.internal.misc.Unsafe.defineClass} with no
 * loader, java.base's package exported to the agent alone through {@link Instrumentation#redefineModule}), not by
 * appending a jar to the bootstrap class path: an append makes the JVM print "Sharing is only supported for boot loader
 * classes because bootstrap classpath has been appended" and stop loading the application's classes from its
 * class-data sharing archive (AppCDS), which made an AppCDS application start some 650 ms slower with the agent
 * (benchmarks/RESULTS.md, section 8). Where that is refused, the jar is appended as before, with that cost.
 */
final class BootstrapJar {

    private static final String RESOURCE = "bootstrap.jar.bin";
    private static final String UNSAFE = "jdk.internal.misc.Unsafe";

    private BootstrapJar() {
    }

    /** Returns how it was done, for debug output. */
    static String install(Instrumentation instrumentation) throws IOException {
        byte[] jar;
        try (InputStream in = BootstrapJar.class.getResourceAsStream(RESOURCE)) {
            if (in == null) {
                throw new IOException(RESOURCE + " is missing from the agent jar");
            }
            jar = in.readAllBytes();
        }
        try {
            defineInBootLoader(instrumentation, jar);
            return "defined in the boot loader";
        } catch (ReflectiveOperationException | RuntimeException | LinkageError e) {
            Log.info("bootstrap classes appended to the boot class path (" + e + "): the JVM's class-data sharing now"
                    + " covers boot classes only");
            appendToBootClassPath(instrumentation, jar);
            return "appended";
        }
    }

    private static void defineInBootLoader(Instrumentation instrumentation, byte[] jar)
            throws IOException, ReflectiveOperationException {
        Module javaBase = Object.class.getModule();
        instrumentation.redefineModule(javaBase, Set.of(), Map.of("jdk.internal.misc",
                Set.of(BootstrapJar.class.getModule())), Map.of(), Set.of(), Map.of());
        Class<?> unsafeClass = Class.forName(UNSAFE);
        Object unsafe = unsafeClass.getMethod("getUnsafe").invoke(null);
        Method define = unsafeClass.getMethod("defineClass", String.class, byte[].class, int.class, int.class,
                ClassLoader.class, ProtectionDomain.class);
        // Defining a class resolves its superclass and interfaces: one whose supertype is not defined yet fails with
        // NoClassDefFoundError (nothing is kept of the attempt) and is tried again in the next pass.
        Map<String, byte[]> pending = classes(jar);
        while (!pending.isEmpty()) {
            Map<String, byte[]> later = new LinkedHashMap<>();
            for (Map.Entry<String, byte[]> type : pending.entrySet()) {
                byte[] bytes = type.getValue();
                try {
                    define.invoke(unsafe, type.getKey(), bytes, 0, bytes.length, null, null);
                } catch (InvocationTargetException e) {
                    if (!(e.getCause() instanceof NoClassDefFoundError)) {
                        throw e;
                    }
                    later.put(type.getKey(), bytes);
                }
            }
            if (later.size() == pending.size()) {
                throw new IllegalStateException("bootstrap classes whose supertypes are missing: " + later.keySet());
            }
            pending = later;
        }
    }

    /** The jar's classes by binary name. */
    private static Map<String, byte[]> classes(byte[] jar) throws IOException {
        Map<String, byte[]> classes = new LinkedHashMap<>();
        try (JarInputStream in = new JarInputStream(new ByteArrayInputStream(jar))) {
            for (JarEntry entry; (entry = in.getNextJarEntry()) != null; ) {
                String name = entry.getName();
                if (name.endsWith(".class") && !name.endsWith("module-info.class")) {
                    classes.put(name.substring(0, name.length() - 6).replace('/', '.'), in.readAllBytes());
                }
            }
        }
        return classes;
    }

    /**
     * The fallback: the jar copied to a file (the JVM only appends files), named by the clock and created atomically
     * ({@code File.createNewFile}: never an existing file or a link planted under that name), with {@code java.io} only:
     * {@code Files.createTempFile} (random names, so {@code SecureRandom}) and a first use of NIO's files cost 25 to 50
     * ms at start on the 2-core test machine.
     */
    private static void appendToBootClassPath(Instrumentation instrumentation, byte[] jar) throws IOException {
        File directory = new File(System.getProperty("java.io.tmpdir"));
        String prefix = "mcp-observatory-bootstrap-";
        File copy = new File(directory, prefix + Long.toHexString(System.nanoTime()) + ".jar");
        for (int attempt = 1; !copy.createNewFile(); attempt++) {
            if (attempt == 10) {
                throw new IOException("could not create a file named " + prefix + "* in " + directory);
            }
            copy = new File(directory, prefix + Long.toHexString(System.nanoTime()) + ".jar");
        }
        copy.deleteOnExit();
        try (OutputStream out = new FileOutputStream(copy)) {
            out.write(jar);
        }
        instrumentation.appendToBootstrapClassLoaderSearch(new JarFile(copy));
    }
}
