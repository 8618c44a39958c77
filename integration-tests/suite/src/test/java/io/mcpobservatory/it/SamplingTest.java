package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Path;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.function.Predicate;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Sampling end to end: a real SDK client and server over stdio, both with the agent at {@code observatory.sampling.rate
 * =0.1}. Of 10,000 successful calls about a tenth is exported (binomial bounds), by both sides for the same traces (the
 * decision is the trace id's, and the server honours the client's {@code sampled} flag); every failed call and every
 * slow call is exported; pings and notifications are not (the default), and the summary counts all of them.
 */
class SamplingTest {

    private static final String SDK = "2.1.0";
    private static final int CALLS = 10_000;
    private static final Pattern SUMMARY = Pattern.compile(
            "(\\d+) spans recorded, (\\d+) exported to .*? (\\d+) sampled out");

    @TempDir
    Path dir;

    @Test
    void aTenthOfSuccessesWholeTracesEveryErrorAndSlowCall() throws Exception {
        Path serverSpans = dir.resolve("spans/spans.jsonl");
        Path clientSpans = dir.resolve("client-spans/spans.jsonl");
        List<String> sampling = List.of("-Dobservatory.sampling.rate=0.1",
                "-Dobservatory.sampling.keep-slower-than=150ms", "-Dobservatory.sampling.ping=false",
                "-Dobservatory.sampling.adaptive.error-rate=1", "-Dobservatory.export.interval=100ms");
        List<String> serverOptions = new java.util.ArrayList<>(sampling);
        serverOptions.add("-Dobservatory.jsonl.path=" + serverSpans);
        List<String> clientOptions = new java.util.ArrayList<>(sampling);
        clientOptions.add("-Dobservatory.jsonl.path=" + clientSpans);
        String classPath = Apps.classPath(SDK);
        DrivenClient.Target target = DrivenClient.Target.of(dir, "stdio", serverOptions, classPath);
        String clientStderr;
        try (DrivenClient client = DrivenClient.start(dir, "client", Apps.javaCommand(true, clientOptions, classPath,
                Apps.PHASED_CLIENT, target.clientArgsArray()))) {
            assertTrue(client.send("repeat fast " + CALLS).endsWith("ok=" + CALLS + " failed=0"));
            assertTrue(client.send("repeat throws 20").endsWith("ok=0 failed=20"));
            assertTrue(client.send("repeat slow 5").endsWith("ok=5 failed=0"));
            client.send("ping");
            client.quit();
            clientStderr = client.stderr();
        }

        Spans server = Spans.read(serverSpans);
        Spans client = Spans.read(clientSpans);
        Set<String> serverFast = traces(server, "server", tool("fast"));
        Set<String> clientFast = traces(client, "client", tool("fast"));
        // binomial(10,000, 0.1): mean 1,000, standard deviation 30; 5 deviations either way
        assertTrue(serverFast.size() > 850 && serverFast.size() < 1150, "server kept " + serverFast.size());
        // the same traces on both sides, kept or dropped whole; except a call the client saw take longer than
        // keep-slower-than (its first, say) while the server answered it quicker: kept for its slowness by the client only
        Set<String> onlyServer = new TreeSet<>(serverFast);
        onlyServer.removeAll(clientFast);
        assertTrue(onlyServer.isEmpty(), "kept by the server only: " + onlyServer);
        List<JsonNode> onlyClient = client.where(tool("fast").and(s -> !serverFast.contains(Spans.text(s, "trace_id"))));
        for (JsonNode span : onlyClient) {
            assertTrue(span.get("duration_ms").asDouble() >= 150, "kept by the client only, and not slow: " + span);
        }
        assertTrue(onlyClient.size() <= 5, onlyClient.toString());
        for (Spans spans : List.of(server, client)) {
            assertEquals(20, spans.where(tool("throws")).size(), "every error");
            assertEquals(5, spans.where(tool("slow")).size(), "every slow call");
            assertEquals(0, spans.method("ping").size(), "no ping");
            assertEquals(0, spans.method("notifications/initialized").size(), "no notification");
        }
        // the summary counts every span, and says how many were not exported
        Matcher summary = SUMMARY.matcher(clientStderr);
        assertTrue(summary.find(), clientStderr);
        long recorded = Long.parseLong(summary.group(1));
        assertTrue(recorded >= 2 + CALLS + 20 + 5, "initialize, the calls, the ping: " + clientStderr);
        assertEquals(client.all.size(), Long.parseLong(summary.group(2)), clientStderr);
        assertEquals(recorded - client.all.size(), Long.parseLong(summary.group(3)), clientStderr);
    }

    private static Predicate<JsonNode> tool(String name) {
        return span -> name.equals(Spans.text(span, "tool_name"));
    }

    private static Set<String> traces(Spans spans, String kind, Predicate<JsonNode> which) {
        Set<String> traces = new TreeSet<>();
        for (JsonNode span : spans.where(which.and(s -> kind.equals(Spans.text(s, "kind"))))) {
            traces.add(Spans.text(span, "trace_id"));
        }
        return traces;
    }
}
