package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.File;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An application with its own, different versions of the agent's dependencies (ASM, jackson-core) and of the library
 * the agent used to be built on (Byte Buddy) on its class path runs unchanged with the agent: it gets its own versions,
 * uses them, and the agent's relocated copies still trace the MCP SDK in the same JVM.
 */
class DependencyClashTest {

    @TempDir
    Path dir;

    /**
     * The agent jar is on the application's class path (the JVM puts a {@code -javaagent} jar there): every class in it
     * must be the agent's own or relocated under its package, or it could shadow, or be shadowed by, a library the
     * application has (the JDBC driver's checker-qual annotations were, until excluded).
     */
    @Test
    void agentJarHoldsOnlyItsOwnPackages() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(Apps.agentJar().toFile())) {
            List<String> foreign = jar.stream().map(java.util.zip.ZipEntry::getName)
                    .filter(name -> !name.endsWith("/") && !name.startsWith("META-INF/")
                            && !name.startsWith("io/mcpobservatory/"))
                    .toList();
            assertEquals(List.of(), foreign, "entries outside io/mcpobservatory/ and META-INF/");
        }
    }

    @Test
    void applicationKeepsItsOwnAsmByteBuddyAndJackson() throws Exception {
        Path clash = Paths.get(System.getProperty("it.clash.dir"));
        String byteBuddyVersion = System.getProperty("it.clash.bytebuddy.version");
        String jacksonVersion = System.getProperty("it.clash.jackson.version");
        String asmVersion = System.getProperty("it.clash.asm.version");
        String classPath = String.join(File.pathSeparator,
                clash.resolve("asm-" + asmVersion + ".jar").toString(),
                clash.resolve("byte-buddy-" + byteBuddyVersion + ".jar").toString(),
                clash.resolve("jackson-core-" + jacksonVersion + ".jar").toString(),
                Apps.testClassPath(),
                Apps.classPath("2.1.0"));
        try (ChildJvm app = ChildJvm.start(dir, "clash", Apps.javaCommand(true, List.of(
                "-Dobservatory.jsonl.path=" + dir.resolve("spans.jsonl")), classPath, ClashApp.class.getName()))) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stdout() + app.stderr());
            String out = app.stdout();
            assertTrue(out.contains("byte-buddy " + byteBuddyVersion + " made io.example.Generated"), out);
            assertTrue(out.contains("jackson-core " + jacksonVersion + " wrote {\"ok\":true}"), out);
            assertTrue(out.contains("asm " + asmVersion + " wrote io/example/Written"), out);
            assertTrue(app.stderr().contains("tracing MCP service"), "the agent instrumented the SDK: " + app.stderr());
        }
    }

    /**
     * An application with its own OpenTelemetry API and SDK runs them unchanged next to the agent exporting over OTLP:
     * the agent carries no OpenTelemetry class at all (its OTLP encoder is its own), so there is nothing to clash.
     */
    @Test
    void applicationKeepsItsOwnOpenTelemetryWhileTheAgentExportsOtlp() throws Exception {
        try (java.util.zip.ZipFile jar = new java.util.zip.ZipFile(Apps.agentJar().toFile())) {
            assertTrue(jar.stream().noneMatch(entry -> entry.getName().contains("opentelemetry")),
                    "no OpenTelemetry class in the agent jar");
        }
        Path clash = Paths.get(System.getProperty("it.clash.dir"));
        String otelVersion = System.getProperty("it.clash.otel.version");
        List<String> entries = new java.util.ArrayList<>();
        for (String artifact : List.of("api", "context", "common", "sdk-common", "sdk-trace")) {
            entries.add(clash.resolve("opentelemetry-" + artifact + "-" + otelVersion + ".jar").toString());
        }
        entries.add(Apps.testClassPath());
        entries.add(Apps.classPath("2.1.0"));
        try (OtlpReceiver receiver = OtlpReceiver.start(0);
             ChildJvm app = ChildJvm.start(dir, "clash-otel", Apps.javaCommand(true, List.of(
                     "-Dobservatory.exporter=otlp", "-Dobservatory.otlp.endpoint=" + receiver.endpoint()),
                     String.join(File.pathSeparator, entries), OtelClashApp.class.getName()))) {
            assertEquals(0, app.awaitExit(Duration.ofSeconds(60)), app.stdout() + app.stderr());
            String out = app.stdout();
            assertTrue(out.contains("opentelemetry-api " + otelVersion + " and opentelemetry-sdk-trace " + otelVersion
                    + " made span app-span"), out);
            assertTrue(app.stderr().contains("spans to otlp " + receiver.endpoint()), app.stderr());
        }
    }

    /** Loads the MCP SDK, then makes a span with the application's own OpenTelemetry SDK, reflectively. */
    public static final class OtelClashApp {
        public static void main(String[] args) throws Exception {
            Class.forName("io.modelcontextprotocol.spec.McpServerSession");
            Class<?> providerClass = Class.forName("io.opentelemetry.sdk.trace.SdkTracerProvider");
            Object builder = providerClass.getMethod("builder").invoke(null);
            Object provider = builder.getClass().getMethod("build").invoke(builder);
            Class<?> tracerProvider = Class.forName("io.opentelemetry.api.trace.TracerProvider");
            Object tracer = tracerProvider.getMethod("get", String.class).invoke(provider, "clash-app");
            Class<?> tracerClass = Class.forName("io.opentelemetry.api.trace.Tracer");
            Object spanBuilder = tracerClass.getMethod("spanBuilder", String.class).invoke(tracer, "app-span");
            Class<?> spanBuilderClass = Class.forName("io.opentelemetry.api.trace.SpanBuilder");
            Object span = spanBuilderClass.getMethod("startSpan").invoke(spanBuilder);
            Class<?> spanClass = Class.forName("io.opentelemetry.api.trace.Span");
            Object context = spanClass.getMethod("getSpanContext").invoke(span);
            boolean valid = (Boolean) Class.forName("io.opentelemetry.api.trace.SpanContext").getMethod("isValid")
                    .invoke(context);
            spanClass.getMethod("end").invoke(span);
            System.out.println("opentelemetry-api " + ClashApp.jarVersion(tracerClass, "opentelemetry-api-")
                    + " and opentelemetry-sdk-trace " + ClashApp.jarVersion(providerClass, "opentelemetry-sdk-trace-")
                    + " made span app-span" + (valid ? "" : " (invalid context)"));
        }
    }

    /**
     * Loads the MCP SDK first (so the agent's own ASM is at work in this JVM), then uses the application's ASM, Byte
     * Buddy and jackson-core reflectively and reports which versions it got.
     */
    public static final class ClashApp {
        public static void main(String[] args) throws Exception {
            Class.forName("io.modelcontextprotocol.spec.McpServerSession");

            Class<?> byteBuddyClass = Class.forName("net.bytebuddy.ByteBuddy");
            Object byteBuddy = byteBuddyClass.getConstructor().newInstance();
            Object builder = byteBuddyClass.getMethod("subclass", Class.class).invoke(byteBuddy, Object.class);
            builder = builder.getClass().getMethod("name", String.class).invoke(builder, "io.example.Generated");
            Object unloaded = builder.getClass().getMethod("make").invoke(builder);
            Object loaded = unloaded.getClass().getMethod("load", ClassLoader.class)
                    .invoke(unloaded, ClashApp.class.getClassLoader());
            Class<?> generated = (Class<?>) loaded.getClass().getMethod("getLoaded").invoke(loaded);
            System.out.println("byte-buddy " + jarVersion(byteBuddyClass, "byte-buddy-") + " made " + generated.getName());

            Class<?> factoryClass = Class.forName("com.fasterxml.jackson.core.JsonFactory");
            Object factory = factoryClass.getConstructor().newInstance();
            java.io.StringWriter json = new java.io.StringWriter();
            Object generator = factoryClass.getMethod("createGenerator", java.io.Writer.class).invoke(factory, json);
            Class<?> generatorClass = Class.forName("com.fasterxml.jackson.core.JsonGenerator");
            generatorClass.getMethod("writeStartObject").invoke(generator);
            generatorClass.getMethod("writeBooleanField", String.class, boolean.class).invoke(generator, "ok", true);
            generatorClass.getMethod("writeEndObject").invoke(generator);
            generatorClass.getMethod("close").invoke(generator);
            System.out.println("jackson-core " + jarVersion(factoryClass, "jackson-core-") + " wrote " + json);

            Class<?> writerClass = Class.forName("org.objectweb.asm.ClassWriter");
            Object writer = writerClass.getConstructor(int.class).newInstance(0);
            writerClass.getMethod("visit", int.class, int.class, String.class, String.class, String.class,
                    String[].class).invoke(writer, 52, 1, "io/example/Written", null, "java/lang/Object", null);
            byte[] written = (byte[]) writerClass.getMethod("toByteArray").invoke(writer);
            Class<?> readerClass = Class.forName("org.objectweb.asm.ClassReader");
            Object reader = readerClass.getConstructor(byte[].class).newInstance((Object) written);
            String name = (String) readerClass.getMethod("getClassName").invoke(reader);
            System.out.println("asm " + jarVersion(writerClass, "asm-") + " wrote " + name);
        }

        static String jarVersion(Class<?> type, String prefix) {
            String jar = Paths.get(type.getProtectionDomain().getCodeSource().getLocation().getPath())
                    .getFileName().toString();
            return jar.startsWith(prefix) ? jar.substring(prefix.length(), jar.length() - ".jar".length()) : jar;
        }
    }
}
