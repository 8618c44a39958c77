package io.mcpobservatory.it.app;

import io.mcpobservatory.api.McpObservatory;
import io.mcpobservatory.api.McpSpan;
import io.modelcontextprotocol.server.McpServerFeatures;
import io.modelcontextprotocol.server.McpSyncServer;
import io.modelcontextprotocol.spec.McpSchema;
import io.modelcontextprotocol.spec.McpSchema.CallToolResult;
import reactor.core.publisher.Mono;

/**
 * Tools that call the enrichment API, added to a session server when {@code -Dit.server.enrichment=true} (so the other
 * tests' tool catalog stays as it is). Each answers with what the API said: {@code active=<isActive>} and
 * {@code recording=<whether a span was current in the handler>}.
 *
 * <ul>
 *   <li>{@code enriched}, a sync tool: every API method with good values, then bad ones (to be ignored or cut), and
 *   three threads of its own: one using {@code current()} there (no span: lands nowhere), one run through
 *   {@code wrap} (lands), one using the handle taken in the handler (lands).</li>
 *   <li>{@code enriched_async}, an async tool: {@code current()} in the handler's body (the SDK's dispatch frame) and
 *   again inside the Mono it returns, which runs after that frame (no span), plus the handle taken in the body.</li>
 * </ul>
 */
final class EnrichedTools {

    private static final String NO_ARGUMENTS = "{\"type\":\"object\",\"properties\":{}}";

    private EnrichedTools() {
    }

    static void addTo(McpSyncServer server) {
        if (!Boolean.getBoolean("it.server.enrichment")) {
            return;
        }
        server.addTool(McpServerFeatures.SyncToolSpecification.builder()
                .tool(tool("enriched", "Tells MCP Observatory about its answer"))
                .callHandler((exchange, request) -> enriched())
                .build());
        server.getAsyncServer().addTool(McpServerFeatures.AsyncToolSpecification.builder()
                .tool(tool("enriched_async", "Tells MCP Observatory about its answer, from a Mono"))
                .callHandler((exchange, request) -> enrichedAsync())
                .build()).block();
    }

    private static McpSchema.Tool tool(String name, String description) {
        return Sdk.tool(name, description, NO_ARGUMENTS);
    }

    private static CallToolResult enriched() {
        McpSpan span = McpObservatory.current();
        span.confidence(0.64).fallbackUsed(true).retries(2)
                .attribute("customer_tier", "gold").attribute("items", 3).attribute("ratio", 0.25)
                .attribute("cached", false)
                .confidenceGate(0.7, true).highRiskPath().promptDiffScore(0.12).shadowAgreement(false)
                .goldenScenario(false);
        // ignored: not a number, a negative count, no key, no value; cut: a long text
        span.confidence(Double.NaN).retries(-1).attribute(null, "x").attribute("", 1).attribute("empty", (String) null)
                .attribute("note", "n".repeat(5000));
        runAndWait(() -> McpObservatory.current().attribute("own_thread", true));
        runAndWait(McpObservatory.wrap(() -> {
            McpObservatory.current().attribute("wrapped_thread", true);
        }));
        runAndWait(() -> span.attribute("bound_handle", true));
        return answer(span, "");
    }

    private static Mono<CallToolResult> enrichedAsync() {
        McpSpan span = McpObservatory.current();
        span.attribute("handler_body", true);
        return Mono.fromCallable(() -> {
            McpObservatory.current().attribute("inside_mono", true);
            span.attribute("bound_handle", true).retries(1);
            return answer(span, "async ");
        });
    }

    private static CallToolResult answer(McpSpan span, String prefix) {
        return CallToolResult.builder().addTextContent(prefix + "active=" + McpObservatory.isActive()
                + " recording=" + span.isRecording()).isError(false).build();
    }

    private static void runAndWait(Runnable task) {
        Thread thread = new Thread(task, "it-enriched-own-thread");
        thread.start();
        try {
            thread.join();
        } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
        }
    }
}
