package io.mcpobservatory.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;
import static org.junit.jupiter.api.Assertions.fail;

import io.mcpobservatory.bootstrap.Bridge;
import java.io.Closeable;
import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.net.MalformedURLException;
import java.net.URL;
import java.net.URLClassLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.SortedSet;
import java.util.TreeMap;
import java.util.TreeSet;
import java.util.jar.JarEntry;
import java.util.jar.JarFile;
import java.util.jar.JarOutputStream;
import java.util.stream.Collectors;
import java.util.stream.Stream;
import org.objectweb.asm.ClassReader;
import org.objectweb.asm.ClassVisitor;
import org.objectweb.asm.ClassWriter;
import org.objectweb.asm.FieldVisitor;
import org.objectweb.asm.MethodVisitor;
import org.objectweb.asm.Opcodes;
import org.objectweb.asm.Type;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Muzzle: for every SDK release that agent/pom.xml copies into {@code target/sdk-releases/<version>/}, which methods
 * each instrumentation point selects, read from the release's class files as the agent's transformer reads them (no SDK
 * class is loaded), compared with the reviewed table {@code src/test/resources/sdk-instrumentation-points.txt}; then
 * the agent's own transformer is run on every class a point selects, through a class loader over that release only, and
 * must apply the advice to exactly the methods listed; and every class it changed is then loaded and initialized from
 * the changed bytes, so the JVM's verifier checks the advice's bytecode and stack map frames. The table also lists the
 * JSON-RPC methods the release declares ({@code McpSchema.METHOD_*}).
 *
 * <p>{@code -Dmuzzle.update=true} rewrites the table from what was found, keeping its {@code #} comments above the
 * lines they preceded; review the diff before committing it. A line of the table that is a known problem has a
 * {@code #} comment above it saying so; an advice error is a line of the table too ({@code ! ...}), so a new one fails
 * the test. A release removed from the pom stays in {@code target/} until {@code mvn clean}.
 */
class MuzzleTest {

    private static final Path BASEDIR = Path.of(System.getProperty("basedir", "."));
    private static final Path RELEASES = BASEDIR.resolve("target/sdk-releases");
    private static final Path RELEASE_DEPENDENCIES = BASEDIR.resolve("target/sdk-release-dependencies");
    private static final Path TABLE = BASEDIR.resolve("src/test/resources/sdk-instrumentation-points.txt");
    private static final String UPDATE = "muzzle.update";

    private static final String SDK_PACKAGE = "io.modelcontextprotocol.";
    private static final String BRIDGE = Type.getInternalName(Bridge.class);

    @Test
    void everyReleaseMatchesTheReviewedTableAndTakesTheAdvice() throws Exception {
        List<String> versions = releases();
        Listener listener = new Listener();
        McpTransformer transformer = new McpTransformer(Instrumentations.ALL, listener);
        List<String> actual = new ArrayList<>();
        List<String> notAdvisedAsMatched = new ArrayList<>();
        List<String> verified = new ArrayList<>();
        for (String version : versions) {
            try (Release release = new Release(version, jars(RELEASES.resolve(version)))) {
                actual.addAll(release.describe(transformer, listener, notAdvisedAsMatched));
                verified.addAll(release.verify(listener.transformed, notAdvisedAsMatched));
            }
        }
        if (Boolean.getBoolean(UPDATE)) {
            Files.write(TABLE, withComments(actual, Files.exists(TABLE) ? Files.readAllLines(TABLE) : List.of()));
        }
        assertEquals(List.of(), notAdvisedAsMatched,
                "the transformer advised other methods than the points select, or wrote bytecode the JVM rejects");
        // the verification above is not vacuous: every release has its session classes loaded and initialized
        assertTrue(verified.size() >= versions.size() * 3, "only " + verified.size() + " transformed classes verified");
        List<String> expected = Files.readAllLines(TABLE).stream()
                .filter(line -> !line.isBlank() && !line.startsWith("#"))
                .collect(Collectors.toList());
        if (!expected.equals(actual)) {
            fail("What the instrumentation points match in the SDK releases differs from " + BASEDIR.relativize(TABLE)
                    + " (- expected, + found):\n" + difference(expected, actual)
                    + "If that is intended, run the test with -D" + UPDATE + "=true and review the table's diff.");
        }
    }

    /**
     * The check can fail: a release whose {@code McpServerSession} has {@code handleIncomingRequest} but no field
     * {@code transport} (which SessionMessageInstrumentation's advice reads) gets an advice error line, and no advice.
     */
    @Test
    void adviceBoundToAMissingFieldIsAnErrorOfTheTable(@TempDir Path directory) throws Exception {
        List<String> versions = releases();
        String session = "io.modelcontextprotocol.spec.McpServerSession";
        ClassWriter writer = new ClassWriter(0);
        writer.visit(Opcodes.V17, Opcodes.ACC_PUBLIC | Opcodes.ACC_SUPER, session.replace('.', '/'), null,
                "java/lang/Object", null);
        MethodVisitor method = writer.visitMethod(Opcodes.ACC_PRIVATE, "handleIncomingRequest",
                "(Lio/modelcontextprotocol/spec/McpSchema$JSONRPCRequest;)Lreactor/core/publisher/Mono;", null, null);
        method.visitCode();
        method.visitInsn(Opcodes.ACONST_NULL);
        method.visitInsn(Opcodes.ARETURN);
        method.visitMaxs(1, 2);
        method.visitEnd();
        writer.visitEnd();
        Path jar = directory.resolve("session-without-transport.jar");
        try (JarOutputStream out = new JarOutputStream(Files.newOutputStream(jar))) {
            out.putNextEntry(new JarEntry(session.replace('.', '/') + ".class"));
            out.write(writer.toByteArray());
        }
        String newest = versions.get(versions.size() - 1);
        List<Path> jars = new ArrayList<>(List.of(jar));
        jars.addAll(jars(RELEASES.resolve(newest)));
        Listener listener = new Listener();
        List<String> mismatches = new ArrayList<>();
        List<String> lines;
        try (Release release = new Release(newest + " without McpServerSession.transport", jars)) {
            lines = release.describe(new McpTransformer(Instrumentations.ALL, listener), listener, mismatches);
        }
        List<String> sessionErrors = lines.subList(lines.indexOf("  ! advice errors"), lines.indexOf("  methods"));
        assertEquals(2, sessionErrors.size(), String.join("\n", lines));
        String error = sessionErrors.get(1);
        assertTrue(error.startsWith("    " + session + ": ") && error.contains("transport"), error);
        assertEquals(List.of(), mismatches);
    }

    /** The release directories, oldest first; there must be some. */
    private static List<String> releases() throws IOException {
        List<String> versions = List.of();
        if (Files.isDirectory(RELEASES)) {
            try (Stream<Path> directories = Files.list(RELEASES)) {
                versions = directories.filter(Files::isDirectory).map(directory -> directory.getFileName().toString())
                        .sorted(MuzzleTest::compareVersions).collect(Collectors.toList());
            }
        }
        assertFalse(versions.isEmpty(), "no SDK release in " + RELEASES + ": they are copied there by "
                + "`mvn -pl agent generate-test-resources` (agent/pom.xml, execution sdk-releases)");
        return versions;
    }

    private static int compareVersions(String left, String right) {
        String[] a = left.split("\\.");
        String[] b = right.split("\\.");
        for (int i = 0; i < Math.min(a.length, b.length); i++) {
            int c = Integer.compare(Integer.parseInt(a[i]), Integer.parseInt(b[i]));
            if (c != 0) {
                return c;
            }
        }
        return Integer.compare(a.length, b.length);
    }

    /** One release: its SDK classes read from its jars, and a class loader over it and the dependencies alone. */
    private static final class Release implements Closeable {
        private final String version;
        private final List<Path> jars;
        private final List<Path> all;
        private final URLClassLoader loader;

        Release(String version, List<Path> jars) throws IOException {
            this.version = version;
            this.jars = jars;
            this.all = new ArrayList<>(jars);
            all.addAll(jars(RELEASE_DEPENDENCIES));
            // java.* only from the platform, never an SDK of the test's own class path
            this.loader = new URLClassLoader(urls(all), ClassLoader.getPlatformClassLoader());
        }

        /**
         * The release's lines of the table: for each point, the methods it selects; then any advice error; then the
         * JSON-RPC methods. A method the transformer advised that is not listed, or the reverse, goes to
         * {@code mismatches}.
         */
        List<String> describe(McpTransformer transformer, Listener listener, List<String> mismatches)
                throws IOException {
            listener.transformed.clear();
            List<String> lines = new ArrayList<>();
            lines.add("release " + version);
            List<ClassFacts> types = types();
            Map<String, Set<String>> selected = new TreeMap<>();
            for (McpInstrumentation point : Instrumentations.ALL) {
                lines.add("  " + point.getClass().getSimpleName());
                List<String> selection = select(transformer, point, types, selected);
                lines.addAll(selection.isEmpty() ? List.of("    (nothing)") : selection);
            }
            for (String type : selected.keySet()) { // the class-load hook must let every one of them through
                if (!Instrumentations.mayInstrument(type.replace('.', '/'), bytes(type))) {
                    mismatches.add(version + " " + type + ": matched, but the candidate filter would skip it");
                }
            }
            List<String> adviceErrors = new ArrayList<>();
            for (Map.Entry<String, Set<String>> type : selected.entrySet()) {
                adviceErrors.addAll(transform(transformer, listener, type.getKey(), type.getValue(), mismatches));
            }
            if (!adviceErrors.isEmpty()) {
                lines.add("  ! advice errors");
                adviceErrors.forEach(error -> lines.add("    " + error));
            }
            lines.add("  methods");
            SortedSet<String> methods = new TreeSet<>();
            for (ClassFacts type : types) {
                methods.addAll(jsonRpcMethods(type.binaryName, bytes(type.binaryName)));
            }
            methods.forEach(method -> lines.add("    " + method));
            return lines;
        }

        /** The point's lines: the methods it selects, or types it selects without one; also into {@code selected}. */
        private List<String> select(McpTransformer transformer, McpInstrumentation point, List<ClassFacts> types,
                                    Map<String, Set<String>> selected) {
            List<String> lines = new ArrayList<>();
            for (ClassFacts type : types) {
                if (!transformer.appliesTo(point, loader, type)) {
                    continue;
                }
                Set<String> methods = selected.computeIfAbsent(type.binaryName, name -> new TreeSet<>());
                List<String> matched = type.methods.stream()
                        .filter(method -> method.mayTakeAdvice() && point.advice(method) != null)
                        .map(SdkMethod::toString)
                        .collect(Collectors.toList());
                if (matched.isEmpty()) {
                    lines.add("    " + type.binaryName + " (type only, no method)");
                }
                matched.forEach(method -> lines.add("    " + method));
                methods.addAll(matched);
            }
            return lines;
        }

        /** The agent's transformer on one class: its errors; whether it advised exactly {@code methods}, if none. */
        private List<String> transform(McpTransformer transformer, Listener listener, String type, Set<String> methods,
                                       List<String> mismatches) throws IOException {
            byte[] transformed = transformer.transform(loader, type.replace('.', '/'), null, null, bytes(type));
            List<String> failed = listener.drainErrors();
            Set<String> advised = transformed == null ? Set.of() : callersOfBridge(type, transformed);
            if (failed.isEmpty() && !advised.equals(methods)) {
                mismatches.add(version + " " + type + ": matched " + methods + ", advised " + advised);
            }
            if (transformed != null) {
                listener.transformed.put(type, transformed);
            }
            return failed;
        }

        /**
         * Loads and initializes each transformed class from its new bytes in a fresh loader over the release (the
         * others as they are), which makes the JVM verify them; whatever fails (a VerifyError first of all) goes to
         * {@code failures}. Returns the classes that loaded, verified and initialized.
         */
        List<String> verify(Map<String, byte[]> transformed, List<String> failures) throws IOException {
            List<String> verified = new ArrayList<>();
            try (TransformedClassLoader classes = new TransformedClassLoader(urls(all), transformed)) {
                for (String type : transformed.keySet()) {
                    try {
                        Class.forName(type, true, classes);
                        verified.add(version + " " + type);
                    } catch (ReflectiveOperationException | LinkageError | RuntimeException e) {
                        failures.add(version + " " + type + ": not loaded from the transformed bytes: " + e);
                    }
                }
            }
            return verified;
        }

        /** Every class of the release's SDK jars, read. */
        private List<ClassFacts> types() throws IOException {
            SortedSet<String> names = new TreeSet<>();
            for (Path jar : jars) {
                try (JarFile file = new JarFile(jar.toFile())) {
                    file.stream().map(JarEntry::getName)
                            .filter(name -> name.endsWith(".class") && !name.startsWith("META-INF/")
                                    && !name.endsWith("module-info.class"))
                            .forEach(name -> names.add(name.substring(0, name.length() - 6).replace('/', '.')));
                }
            }
            List<ClassFacts> types = new ArrayList<>();
            for (String name : names) {
                types.add(ClassFacts.read(new ClassReader(bytes(name))));
            }
            return types;
        }

        private byte[] bytes(String type) throws IOException {
            try (InputStream in = loader.getResourceAsStream(type.replace('.', '/') + ".class")) {
                if (in == null) {
                    throw new IOException("no class file for " + type);
                }
                return in.readAllBytes();
            }
        }

        @Override
        public void close() throws IOException {
            loader.close();
        }
    }

    /** The release's classes, those the transformer changed defined from its bytes; the agent's own from the test's. */
    private static final class TransformedClassLoader extends URLClassLoader {
        private final Map<String, byte[]> transformed;

        TransformedClassLoader(URL[] urls, Map<String, byte[]> transformed) {
            super(urls, ClassLoader.getPlatformClassLoader());
            this.transformed = transformed;
        }

        @Override
        protected Class<?> loadClass(String name, boolean resolve) throws ClassNotFoundException {
            if (name.startsWith("io.mcpobservatory.")) {
                return MuzzleTest.class.getClassLoader().loadClass(name); // Bridge, as the boot class path would give it
            }
            return super.loadClass(name, resolve);
        }

        @Override
        protected Class<?> findClass(String name) throws ClassNotFoundException {
            byte[] bytes = transformed.get(name);
            return bytes == null ? super.findClass(name) : defineClass(name, bytes, 0, bytes.length);
        }
    }

    private static List<Path> jars(Path directory) throws IOException {
        try (Stream<Path> files = Files.list(directory)) {
            return files.filter(file -> file.toString().endsWith(".jar")).sorted().collect(Collectors.toList());
        }
    }

    private static URL[] urls(List<Path> jars) {
        return jars.stream().map(jar -> {
            try {
                return jar.toUri().toURL();
            } catch (MalformedURLException e) {
                throw new UncheckedIOException(e);
            }
        }).toArray(URL[]::new);
    }

    /** The methods of a transformed class whose code calls the bootstrap Bridge: the ones advice was inlined into. */
    private static Set<String> callersOfBridge(String type, byte[] classFile) {
        Set<String> callers = new TreeSet<>();
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public MethodVisitor visitMethod(int access, String name, String descriptor, String signature,
                                             String[] exceptions) {
                return new MethodVisitor(Opcodes.ASM9) {
                    @Override
                    public void visitMethodInsn(int opcode, String owner, String method, String methodDescriptor,
                                                boolean isInterface) {
                        if (owner.equals(BRIDGE)) {
                            callers.add(type + "#" + name + descriptor);
                        }
                    }
                };
            }
        }, ClassReader.SKIP_FRAMES);
        return callers;
    }

    /**
     * The JSON-RPC method names a class declares, its static {@code METHOD_*} String fields (McpSchema's, and from 2.2
     * those of the {@code modern} API's own McpSchema): {@code "tools/call  spec.McpSchema.METHOD_TOOLS_CALL"}.
     */
    private static SortedSet<String> jsonRpcMethods(String type, byte[] classFile) {
        SortedSet<String> methods = new TreeSet<>();
        String owner = type.substring(SDK_PACKAGE.length());
        new ClassReader(classFile).accept(new ClassVisitor(Opcodes.ASM9) {
            @Override
            public FieldVisitor visitField(int access, String name, String descriptor, String signature, Object value) {
                if (name.startsWith("METHOD_") && (access & Opcodes.ACC_STATIC) != 0
                        && descriptor.equals("Ljava/lang/String;")) {
                    methods.add((value == null ? "(not a constant)" : value) + "  " + owner + "." + name);
                }
                return null;
            }
        }, ClassReader.SKIP_CODE);
        return methods;
    }

    /** Collects the transformer's errors, one line each (the class and the message), and the classes it changed. */
    private static final class Listener implements McpTransformer.Listener {
        private final List<String> errors = new ArrayList<>();
        final Map<String, byte[]> transformed = new HashMap<>();

        @Override
        public void transformed(String className, List<SdkMethod> advised) {
        }

        @Override
        public void failed(String className, Throwable error) {
            errors.add(className + ": " + String.valueOf(error).replace('\n', ' '));
        }

        /** The errors since the last call. */
        List<String> drainErrors() {
            List<String> drained = List.copyOf(errors);
            errors.clear();
            return drained;
        }
    }

    /**
     * Each line's place in the table, {@code release|section|line}: what a comment is attached to, and what a
     * difference is reported under. A section is a point (or {@code methods}, {@code ! advice errors}), two spaces in.
     */
    private static List<String> keys(List<String> lines) {
        List<String> keys = new ArrayList<>();
        String release = "";
        String section = "";
        for (String line : lines) {
            if (line.startsWith("release ")) {
                release = line;
                section = "";
            } else if (!line.startsWith("    ") && !line.startsWith("#") && !line.isBlank()) {
                section = line.trim();
            }
            keys.add(release + "|" + section + "|" + line.trim());
        }
        return keys;
    }

    /** The new table, each run of {@code #} lines of the old one above the line it preceded, if that line is left. */
    private static List<String> withComments(List<String> lines, List<String> old) {
        Map<String, List<String>> comments = new LinkedHashMap<>();
        List<String> oldKeys = keys(old);
        List<String> pending = new ArrayList<>();
        for (int i = 0; i < old.size(); i++) {
            if (old.get(i).startsWith("#")) {
                pending.add(old.get(i));
            } else if (!old.get(i).isBlank() && !pending.isEmpty()) {
                comments.put(oldKeys.get(i), pending);
                pending = new ArrayList<>();
            }
        }
        List<String> keys = keys(lines);
        List<String> table = new ArrayList<>();
        for (int i = 0; i < lines.size(); i++) {
            List<String> above = comments.getOrDefault(keys.get(i), List.of());
            if (lines.get(i).startsWith("release ") && !table.isEmpty()) {
                table.add("");
            }
            table.addAll(above);
            if (i == 0 && !above.isEmpty()) {
                table.add(""); // the table's header
            }
            table.add(lines.get(i));
        }
        table.addAll(pending);
        return table;
    }

    /** The lines only one side has, under their release and section; a release only one side has, in one line. */
    private static String difference(List<String> expected, List<String> actual) {
        Set<String> expectedKeys = new LinkedHashSet<>(keys(expected));
        Set<String> actualKeys = new LinkedHashSet<>(keys(actual));
        Map<String, List<String>> bySection = new LinkedHashMap<>();
        onlyIn(expectedKeys, actualKeys, "- ", "the whole release: not found", bySection);
        onlyIn(actualKeys, expectedKeys, "+ ", "the whole release: not in the table", bySection);
        if (bySection.isEmpty()) {
            return "  the same lines, in another order\n";
        }
        StringBuilder text = new StringBuilder();
        bySection.forEach((section, lines) -> {
            text.append("  ").append(section).append('\n');
            lines.stream().sorted(Comparator.comparing(line -> line.substring(2)))
                    .forEach(line -> text.append("    ").append(line).append('\n'));
        });
        return text.toString();
    }

    private static void onlyIn(Set<String> keys, Set<String> others, String sign, String wholeRelease,
                               Map<String, List<String>> bySection) {
        Set<String> otherReleases = others.stream().map(MuzzleTest::releaseOf).collect(Collectors.toSet());
        for (String key : keys) {
            if (others.contains(key)) {
                continue;
            }
            if (!otherReleases.contains(releaseOf(key))) {
                bySection.computeIfAbsent(releaseOf(key), release -> new ArrayList<>(List.of(sign + wholeRelease)));
                continue;
            }
            int last = key.lastIndexOf('|');
            String section = releaseOf(key) + key.substring(key.indexOf('|'), last).replace("|", " / ");
            bySection.computeIfAbsent(section, s -> new ArrayList<>()).add(sign + key.substring(last + 1));
        }
    }

    private static String releaseOf(String key) {
        return key.substring(0, key.indexOf('|'));
    }
}
