package io.mcpobservatory.it;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import com.fasterxml.jackson.databind.JsonNode;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * Requests a tool sends from work it hands to other threads (the test apps' {@code ThreadedRelayTools}): server A's
 * tools call server B from a {@code CompletableFuture} on their own executor, from a Reactor chain on another
 * scheduler (the async client composed in; a sync client blocking in {@code Mono.fromCallable}), and after the tool
 * answered (fire-and-forget). Each such request is a child of the tool call's span on A, and B's spans join it: one
 * trace per tool call, none starting a trace of its own. Three JVMs: B, A (each with the agent, A over streamable HTTP)
 * and a client without it.
 */
class ThreadedTraceTest {

    private static final List<String> TOOLS =
            List.of("relay_future", "relay_reactor", "relay_reactor_blocking", "relay_later");

    @TempDir
    Path dir;

    /**
     * The newest release by default (three JVMs a cell: CI's time), every release with -Pmatrix (the only build that
     * sets {@code it.matrix.readme}).
     */
    static List<String> releases() {
        List<String> all = ReleaseMatrixTest.releases();
        return System.getProperty("it.matrix.readme", "").isEmpty() ? all.subList(all.size() - 1, all.size()) : all;
    }

    @ParameterizedTest(name = "SDK {0}")
    @MethodSource("releases")
    void requestsFromOtherThreadsAreChildrenOfTheToolCall(String sdk) throws Exception {
        String transportOfA = "streamable";
        String classPath = Apps.classPath(sdk);
        Path spansB = dir.resolve("b/spans.jsonl");
        Path spansA = dir.resolve("a/spans.jsonl");
        try (ChildJvm b = ChildJvm.start(dir, "server-b", Apps.javaCommand(true, options(spansB, "b"), classPath,
                Apps.SERVER, "streamable", "0"))) {
            String portB = ClientSpansTest.port(b);
            List<String> optionsA = new ArrayList<>(options(spansA, "a"));
            optionsA.add("-Dit.server.downstream=http://127.0.0.1:" + portB);
            try (ChildJvm a = ChildJvm.start(dir, "server-a", Apps.javaCommand(true, optionsA, classPath, Apps.SERVER,
                    transportOfA, "0"))) {
                String portA = ClientSpansTest.port(a);
                try (ChildJvm client = ChildJvm.start(dir, "client", Apps.javaCommand(false,
                        List.of("-Dit.client.threadedRelay=true"), classPath, Apps.CLIENT, transportOfA,
                        "http://127.0.0.1:" + portA))) {
                    assertEquals(0, client.awaitExit(Scenario.TIMEOUT), client.stdout() + client.stderr());
                    String out = client.stdout();
                    assertTrue(out.contains("STEP call:relay_future OK isError=false text=relayed:fast:future"), out);
                    assertTrue(out.contains("STEP call:relay_reactor OK isError=false text=relayed:fast:reactor"), out);
                    assertTrue(out.contains(
                            "STEP call:relay_reactor_blocking OK isError=false text=relayed:fast:blocking"), out);
                    assertTrue(out.contains("STEP call:relay_later OK isError=false text=relayed:scheduled"), out);
                }
                // relay_later's call to B happens after its answer: wait for it before A is stopped
                awaitSpans(spansB, "tools/call fast", TOOLS.size());
                a.stop(Scenario.TIMEOUT);
            }
            b.stop(Scenario.TIMEOUT);
        }

        Spans atA = Spans.read(spansA);
        Map<String, JsonNode> toolCalls = new HashMap<>();
        for (String tool : TOOLS) {
            List<JsonNode> call = atA.where(s -> "server".equals(Spans.text(s, "kind"))
                    && ("tools/call " + tool).equals(Spans.text(s, "name")));
            assertEquals(1, call.size(), tool + ": " + call);
            toolCalls.put(Spans.text(call.get(0), "span_id"), call.get(0));
        }
        List<JsonNode> outgoing = atA.where(s -> "client".equals(Spans.text(s, "kind")));
        Map<String, JsonNode> outgoingById = new HashMap<>();
        Map<String, List<String>> byTool = new HashMap<>();
        for (JsonNode span : outgoing) {
            JsonNode parent = toolCalls.get(Spans.text(span, "parent_span_id"));
            assertNotNull(parent, "A's request to B is a child of the tool call that made it: " + span + "\nA's spans:\n"
                    + shape(atA.all));
            assertEquals(Spans.text(parent, "trace_id"), Spans.text(span, "trace_id"), span.toString());
            byTool.computeIfAbsent(Spans.text(parent, "tool_name"), k -> new ArrayList<>())
                    .add(Spans.text(span, "name"));
            outgoingById.put(Spans.text(span, "span_id"), span);
        }
        for (String tool : TOOLS) {
            List<String> sent = byTool.getOrDefault(tool, List.of());
            assertTrue(sent.contains("initialize") && sent.contains("tools/call fast"), tool + " sent " + sent);
        }

        List<JsonNode> atB = Spans.read(spansB).where(s -> !Spans.text(s, "mcp_method").startsWith("notifications/"));
        assertEquals(TOOLS.size(), atB.stream().filter(s -> "tools/call fast".equals(Spans.text(s, "name"))).count());
        for (JsonNode span : atB) {
            JsonNode parent = outgoingById.get(Spans.text(span, "parent_span_id"));
            assertNotNull(parent, "B's span has A's request as parent: " + span);
            assertEquals(Spans.text(parent, "trace_id"), Spans.text(span, "trace_id"));
            assertEquals(Spans.text(parent, "name"), Spans.text(span, "name"));
        }
    }

    /** One line per span: kind, name, id, parent id, trace id, in start order (what a failure needs to show). */
    private static String shape(List<JsonNode> spans) {
        StringBuilder out = new StringBuilder();
        spans.stream().sorted(java.util.Comparator.comparing(s -> Spans.text(s, "start_time")))
                .forEach(s -> out.append(String.format("%-7s %-32s %s <- %s %s%n", Spans.text(s, "kind"),
                        Spans.text(s, "name"), Spans.text(s, "span_id"), Spans.text(s, "parent_span_id"),
                        Spans.text(s, "trace_id"))));
        return out.toString();
    }

    /** Until the span file has {@code count} spans named {@code name} (the exporter writes every 100 ms). */
    private static void awaitSpans(Path file, String name, int count) throws Exception {
        long deadline = System.nanoTime() + Scenario.TIMEOUT.toNanos();
        long found = 0;
        while (System.nanoTime() < deadline) {
            if (Files.isRegularFile(file)) {
                try {
                    found = Spans.read(file).where(s -> name.equals(Spans.text(s, "name"))).size();
                } catch (java.io.IOException e) {
                    found = -1; // a line being written: read again
                }
                if (found >= count) {
                    return;
                }
            }
            Thread.sleep(200);
        }
        throw new AssertionError(found + " spans '" + name + "' in " + file + ", expected " + count);
    }

    private static List<String> options(Path spans, String service) {
        return List.of("-Dobservatory.jsonl.path=" + spans, "-Dobservatory.service.name=" + service,
                "-Dobservatory.export.interval=100ms");
    }
}
