package io.mcpobservatory.bootstrap;

import java.util.List;
import java.util.concurrent.TimeoutException;

/**
 * Ends spans: reads the outcome (a JSON-RPC response, a typed result, an error or a cancel signal), classifies it the
 * way the OpenTelemetry MCP conventions say, and publishes the span once. {@code error_type} is the JSON-RPC error code
 * as text; {@code tool_error} for a tool result with {@code isError: true}; {@code timeout} for a request that timed out;
 * {@code cancelled} for work cancelled before it answered; else the exception's class.
 *
 * <p>Signals can race (a cancel and a completion, two SDK layers reporting the same end): the first outcome read wins
 * ({@link Span#outcomeKnown}) and the span is published by the first signal that ends it ({@link Span#end}).
 */
final class SpanEnd {

    private static final Accessor CODE = Accessor.named("code");
    private static final Accessor CONTENT = Accessor.named("content");
    private static final Accessor ERROR = Accessor.named("error");
    private static final Accessor GET_JSON_RPC_ERROR = Accessor.named("getJsonRpcError");
    private static final Accessor IS_ERROR = Accessor.named("isError");
    private static final Accessor MESSAGE = Accessor.named("message");
    private static final Accessor RESULT = Accessor.named("result");
    private static final Accessor TEXT = Accessor.named("text");

    private SpanEnd() {
    }

    /** The Mono carrying a request completed; {@code value} is what it emitted, if anything. */
    static void completed(Span span, Object value) {
        if (span == null || span.isEnded()) { // a late signal must not touch a published span
            return;
        }
        if (value != null) {
            if (span.isServer()) {
                response(span, value); // a request received: its Mono emits the JSON-RPC response
            } else {
                result(span, value); // a request sent: its Mono emits the typed result itself
                if (span.serverName == null) { // no session told it (SDK 2.2's modern API has none)
                    ModernRequests.serverInfo(span, value);
                }
            }
        }
        finish(span);
    }

    /** Streamable HTTP's initialize, whose Mono emits the InitializeResult itself. */
    static void initialized(Span span, Object result) {
        if (span == null || span.isEnded()) {
            return;
        }
        if (result != null) {
            result(span, result);
        }
        finish(span);
    }

    static void failed(Span span, Throwable error) {
        if (span == null || span.isEnded()) {
            return;
        }
        if (!span.outcomeKnown && error != null) {
            Object rpcError = GET_JSON_RPC_ERROR.call(error); // the SDK's McpError: the other side answered
            if (rpcError == null) {
                rpcError = ERROR.call(error); // the modern API's McpException (SDK 2.2)
            }
            Object code = CODE.call(rpcError);
            if (code instanceof Number) {
                span.failRpc(((Number) code).intValue(), MESSAGE.callString(rpcError));
            } else {
                span.fail(error);
                if (error instanceof TimeoutException) {
                    span.errorType = "timeout";
                }
            }
        }
        finish(span);
    }

    static void cancelled(Span span) {
        if (span == null || span.isEnded()) {
            return;
        }
        if (!span.outcomeKnown) {
            span.status = Span.STATUS_ERROR;
            span.errorType = "cancelled";
        }
        finish(span);
    }

    /** A JSON-RPC response: its error, else its result. */
    static void response(Span span, Object response) {
        if (span.outcomeKnown) {
            return;
        }
        Object error = ERROR.call(response);
        if (error != null) {
            Object code = CODE.call(error);
            span.failRpc(code instanceof Number ? ((Number) code).intValue() : -32603,
                    MESSAGE.callString(error));
            return;
        }
        result(span, RESULT.call(response));
    }

    /** A successful result: what it contributes is the method's to say ({@link McpMethod}). */
    private static void result(Span span, Object result) {
        if (span.outcomeKnown) {
            return;
        }
        span.method.readResult(span, result);
        span.outcomeKnown = true;
    }

    /** A tool result with {@code isError: true} is a {@code tool_error}, its first text the message (bounded). */
    static void toolError(Span span, Object result) {
        if (!Boolean.TRUE.equals(IS_ERROR.param(result))) {
            return;
        }
        span.status = Span.STATUS_ERROR;
        span.errorType = "tool_error";
        Object content = CONTENT.param(result);
        if (content instanceof List && !((List<?>) content).isEmpty()) {
            Object text = TEXT.param(((List<?>) content).get(0));
            if (text != null) {
                String s = text.toString();
                span.errorMessage = s.length() > 512 ? s.substring(0, 512) : s;
            }
        }
    }

    private static void finish(Span span) {
        if (!span.end()) {
            return;
        }
        StreamableResponses.forget(span);
        span.session = null;
        Bridge.publish(span);
    }
}
