package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;

/**
 * One run of the test client's fixed scenario against a test server of one SDK version and transport, the server started
 * with the agent exactly as a user would, and the spans it wrote.
 */
final class Scenario {

    static final Duration TIMEOUT = Duration.ofSeconds(90);

    final String clientStdout;
    final String serverStderr;
    /** The client's stderr (on stdio, the server's is relayed into it: both are here, and in serverStderr). */
    final String clientStderr;
    private final Path spanFile;

    private Scenario(String clientStdout, String serverStderr, String clientStderr, Path spanFile) {
        this.clientStdout = clientStdout;
        this.serverStderr = serverStderr;
        this.clientStderr = clientStderr;
        this.spanFile = spanFile;
    }

    /** The spans the server wrote as JSON lines (the default exporter). */
    Spans spans() throws java.io.IOException {
        return Spans.read(spanFile);
    }

    /** The spans the client wrote, when it ran with the agent too ({@link #runTraced}). */
    Spans clientSpans() throws java.io.IOException {
        return Spans.read(spanFile.getParent().getParent().resolve("client-spans/spans.jsonl"));
    }

    static Scenario run(Path dir, String sdkVersion, String transport, String... extraServerOptions) throws Exception {
        return run(dir, sdkVersion, transport, false, List.of(), extraServerOptions);
    }

    /** The scenario with the agent in the client JVM too (its spans: {@link #clientSpans}). */
    static Scenario runTraced(Path dir, String sdkVersion, String transport, String... extraServerOptions)
            throws Exception {
        return run(dir, sdkVersion, transport, true, tracedClient(dir, sdkVersion), extraServerOptions);
    }

    /** {@link #runTraced} with options of the client's own (its exporter, say) after the usual ones. */
    static Scenario runTraced(Path dir, String sdkVersion, String transport, List<String> clientOptions,
                              String... extraServerOptions) throws Exception {
        List<String> options = new ArrayList<>(tracedClient(dir, sdkVersion));
        options.addAll(clientOptions);
        return run(dir, sdkVersion, transport, true, options, extraServerOptions);
    }

    /** {@link #runTraced} with the client's extra steps ({@link #runExtra}). */
    static Scenario runTracedExtra(Path dir, String sdkVersion, String transport, String... extraServerOptions)
            throws Exception {
        List<String> options = new ArrayList<>(tracedClient(dir, sdkVersion));
        options.add("-Dit.client.extra=true");
        return run(dir, sdkVersion, transport, true, options, extraServerOptions);
    }

    private static List<String> tracedClient(Path dir, String sdkVersion) {
        return List.of("-Dobservatory.jsonl.path=" + dir.resolve("client-spans/spans.jsonl"),
                "-Dobservatory.service.name=it-client-" + sdkVersion,
                "-Dobservatory.export.interval=100ms");
    }

    /**
     * The scenario plus the client's extra steps ({@code it.client.extra}: a tool that samples the client's model, and a
     * 5 M character tool result, and two calls whose caller set a valid and a malformed traceparent in _meta).
     */
    static Scenario runExtra(Path dir, String sdkVersion, String transport, String... extraServerOptions)
            throws Exception {
        return run(dir, sdkVersion, transport, false, List.of("-Dit.client.extra=true"), extraServerOptions);
    }

    /**
     * The scenario plus the two tools of the test apps' {@code EnrichedTools}, which call the enrichment API: the server
     * has them ({@code it.server.enrichment}), the client calls them last ({@code it.client.enrichment}).
     */
    static Scenario runEnrichment(Path dir, String sdkVersion, String transport, String... extraServerOptions)
            throws Exception {
        List<String> serverOptions = new ArrayList<>(List.of(extraServerOptions));
        serverOptions.add("-Dit.server.enrichment=true");
        return run(dir, sdkVersion, transport, false, List.of("-Dit.client.enrichment=true"),
                serverOptions.toArray(new String[0]));
    }

    private static Scenario run(Path dir, String sdkVersion, String transport, boolean clientAgent,
                                List<String> clientOptions, String... extraServerOptions) throws Exception {
        Path spanFile = dir.resolve("spans/spans.jsonl");
        List<String> serverOptions = new ArrayList<>(List.of(
                "-Dobservatory.jsonl.path=" + spanFile,
                "-Dobservatory.service.name=it-server-" + sdkVersion,
                "-Dobservatory.export.interval=100ms"));
        serverOptions.addAll(List.of(extraServerOptions));
        String classPath = Apps.classPath(sdkVersion);
        if (transport.equals("stdio")) {
            List<String> server = Apps.javaCommand(true, serverOptions, classPath, Apps.SERVER, "stdio");
            List<String> clientArgs = new ArrayList<>(List.of("stdio"));
            clientArgs.addAll(server);
            try (ChildJvm client = ChildJvm.start(dir, "client", Apps.javaCommand(clientAgent, clientOptions, classPath,
                    Apps.CLIENT, clientArgs.toArray(new String[0])))) {
                assertEquals(0, client.awaitExit(TIMEOUT), "client failed:\n" + client.stdout() + client.stderr());
                String out = client.stdout();
                assertTrue(out.contains("DONE"), out);
                // the client's transport relays the server's stderr into the client's stderr
                return new Scenario(out, client.stderr(), client.stderr(), spanFile);
            }
        }
        // the SDK's Spring transports (webflux-sse, webmvc-streamable, ...) speak the protocol of their servlet kin
        String clientTransport = transport.replaceFirst("^web(flux|mvc)-", "");
        try (ChildJvm server = ChildJvm.start(dir, "server",
                Apps.javaCommand(true, serverOptions, classPath, Apps.SERVER, transport, "0"))) {
            String port = server.awaitLine("LISTENING ", TIMEOUT).substring("LISTENING ".length()).trim();
            String out;
            String clientErr;
            try (ChildJvm client = ChildJvm.start(dir, "client", Apps.javaCommand(clientAgent, clientOptions, classPath,
                    Apps.CLIENT, clientTransport, "http://127.0.0.1:" + port))) {
                assertEquals(0, client.awaitExit(TIMEOUT), "client failed:\n" + client.stdout() + client.stderr());
                out = client.stdout();
                clientErr = client.stderr();
                assertTrue(out.contains("DONE"), out);
            }
            server.stop(TIMEOUT);
            return new Scenario(out, server.stderr(), clientErr, spanFile);
        }
    }
}
