package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;

import io.modelcontextprotocol.common.McpTransportContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The span of the tool code running on a thread: set around the dispatch and the sync callable, restored after; linked
 * through per-request objects, or, with the SDK's shared empty transport context, only on the dispatching thread.
 */
class CurrentSpanTest {

    public record Request(String jsonrpc, String method, Object id, Object params) { }

    private final List<Span> finished = new ArrayList<>();

    @BeforeEach
    void install() {
        Bridge.install(finished::add);
    }

    @AfterEach
    void uninstall() {
        Bridge.install(null);
    }

    private static Span toolCall(Map<String, Object> params) {
        return Bridge.statelessMessage(new Request("2.0", "tools/call", 1, params));
    }

    /** What a tool's own client request gets as parent, from inside the callable for {@code context}. */
    private static long parentSeenInCallable(Object context) {
        Span previous = Bridge.enterTool(context);
        try {
            return Bridge.clientRequest(new Object(), "tools/call", null).parentSpanId;
        } finally {
            Bridge.exitTool(previous);
        }
    }

    @Test
    void aPerRequestContextLinksTheCallableToItsCall() {
        Map<String, Object> params = Map.of("name", "relay");
        Span call = toolCall(params);
        Object context = new McpTransportContext() { };
        Bridge.exitTool(Bridge.enterToolDispatch(context, params));
        assertEquals(call.spanId, parentSeenInCallable(context));
        assertEquals(0, Bridge.clientRequest(new Object(), "ping", null).parentSpanId, "nothing left on the thread");
    }

    @Test
    void theSharedEmptyContextLinksNothingAcrossThreads() throws Exception {
        Map<String, Object> first = Map.of("name", "a");
        Map<String, Object> second = Map.of("name", "b");
        toolCall(first);
        toolCall(second);
        Bridge.exitTool(Bridge.enterToolDispatch(McpTransportContext.EMPTY, first));
        long[] seen = new long[1];
        Thread worker = new Thread(() -> {
            Bridge.exitTool(Bridge.enterToolDispatch(McpTransportContext.EMPTY, second));
            seen[0] = 1; // dispatched elsewhere: the callable below must not take it
        });
        worker.start();
        worker.join();
        assertEquals(1, seen[0]);
        Thread other = new Thread(() -> seen[0] = parentSeenInCallable(McpTransportContext.EMPTY));
        other.start();
        other.join();
        assertEquals(0, seen[0], "no guess between concurrent calls on other threads");
    }

    /** Spring AI's WebMvc stateless server: the sync tool's callable runs on the dispatching thread, at subscription. */
    @Test
    void theSharedEmptyContextLinksTheCallableOnItsDispatchingThreadOnce() {
        Map<String, Object> params = Map.of("name", "immediate");
        Span call = toolCall(params);
        Bridge.exitTool(Bridge.enterToolDispatch(McpTransportContext.EMPTY, params));
        assertEquals(call.spanId, parentSeenInCallable(McpTransportContext.EMPTY));
        assertEquals(0, parentSeenInCallable(McpTransportContext.EMPTY), "taken once");
        assertEquals(0, Bridge.clientRequest(new Object(), "ping", null).parentSpanId, "nothing left on the thread");
    }

    @Test
    void anEndedCallIsNotMadeCurrentAgain() {
        Map<String, Object> params = Map.of("name", "ended");
        Span call = toolCall(params);
        Bridge.exitTool(Bridge.enterToolDispatch(McpTransportContext.EMPTY, params));
        Bridge.completed(call, null);
        assertEquals(true, call.isEnded());
        assertEquals(0, parentSeenInCallable(McpTransportContext.EMPTY));
    }

    @Test
    void duringTheDispatchTheCallIsCurrent() {
        Map<String, Object> params = Map.of("name", "async_tool");
        Span call = toolCall(params);
        Span previous = Bridge.enterToolDispatch(McpTransportContext.EMPTY, params);
        try {
            assertEquals(call.spanId, Bridge.clientRequest(new Object(), "tools/call", null).parentSpanId);
        } finally {
            Bridge.exitTool(previous);
        }
    }
}
