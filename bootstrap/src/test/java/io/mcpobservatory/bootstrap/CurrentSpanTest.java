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
 * through per-request objects only, never through the SDK's shared empty transport context.
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
    void theSharedEmptyContextLinksNothing() {
        Map<String, Object> first = Map.of("name", "a");
        Map<String, Object> second = Map.of("name", "b");
        toolCall(first);
        toolCall(second);
        Bridge.exitTool(Bridge.enterToolDispatch(McpTransportContext.EMPTY, first));
        Bridge.exitTool(Bridge.enterToolDispatch(McpTransportContext.EMPTY, second));
        assertEquals(0, parentSeenInCallable(McpTransportContext.EMPTY), "no guess between concurrent calls");
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
