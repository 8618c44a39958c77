package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;

import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * A request sent with no span current on its thread takes its parent at subscription ({@link ReactorTrace#adopt}): its
 * span joins the tool call's trace, and the {@code traceparent} already in the params the agent made says so before the
 * request is built. The Reactor side (the context, the schedule hook) runs in the integration tests (ThreadedTraceTest).
 */
class ReactorTraceTest {

    record CallToolRequest(String name, Map<String, Object> arguments, Map<String, Object> meta) { }

    @Test
    void adoptionRewritesTheTraceparentSentInMeta() {
        Span toolCall = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        Span request = Span.start(Span.KIND_CLIENT, McpMethod.TOOLS_CALL, null);
        CallToolRequest sent = (CallToolRequest) SentRequests.propagate(request,
                new CallToolRequest("fast", Map.of(), null));
        ReactorTrace.adopt(request, toolCall);
        assertEquals(toolCall.traceIdHigh, request.traceIdHigh);
        assertEquals(toolCall.traceIdLow, request.traceIdLow);
        assertEquals(toolCall.spanId, request.parentSpanId);
        assertEquals(TraceParent.format(request), sent.meta().get(TraceParent.KEY), "the request names its new trace");
    }

    @Test
    void aRequestWithAParentOrWithoutOneToTakeStaysAsItIs() {
        Span toolCall = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        Span parented = Span.start(Span.KIND_CLIENT, McpMethod.TOOLS_CALL, toolCall);
        Span other = Span.start(Span.KIND_SERVER, McpMethod.TOOLS_CALL, null);
        ReactorTrace.adopt(parented, other);
        assertEquals(toolCall.spanId, parented.parentSpanId, "the thread's parent is kept");

        Span root = Span.start(Span.KIND_CLIENT, McpMethod.PING, null);
        long trace = root.traceIdLow;
        ReactorTrace.adopt(root, null);
        ReactorTrace.adopt(root, "not a span");
        assertEquals(trace, root.traceIdLow);
        assertEquals(0, root.parentSpanId);
    }

    @Test
    void onceSentTheMetaIsNoLongerTouched() {
        Span request = Span.start(Span.KIND_CLIENT, McpMethod.TOOLS_CALL, null);
        Object sent = SentRequests.propagate(request, new CallToolRequest("fast", Map.of(), null));
        SentRequests.sending(new Message(sent, 7));
        assertNull(request.sentMeta, "built and sent: its context is what it is");
        assertEquals(7, request.requestId);
    }

    /** Shaped like the SDK's JSONRPCRequest as the transport sends it. */
    record Message(Object params, Object id) { }
}
