package io.mcpobservatory.bootstrap;

import java.util.HashMap;
import java.util.Map;

/**
 * What each MCP method means to a span: the one place where MCP method names appear. For each method the SDK knows, the
 * table says what the span is named after (its target), what the request's params contribute (read on the request thread,
 * when the span starts) and what a successful result contributes (read when the answer arrives): names, the session's
 * handshake, the payloads whose tokens the drainer counts, and the result-level error ({@code isError}).
 *
 * <p>Errors that are not in a result map the same way for every method ({@link SpanEnd}): a JSON-RPC error is its code,
 * a cancelled request {@code cancelled}, a timeout {@code timeout}, anything else the exception's class. Methods not in
 * the table (custom methods, methods of newer protocol revisions) are spans too, with no target and no captures.
 *
 * <p>To capture something new for a method: give its entry a capture here (composing the readers of
 * {@link PayloadCapture}, {@link Sessions}, {@link SpanEnd}) and test it; nothing else changes.
 */
public final class McpMethod {

    /** What a span is named after besides the method (OpenTelemetry MCP conventions: {@code {method} {target}}). */
    public enum Target {
        NONE(null),
        /** {@code params.name}: the span's {@code tool_name}, and its name's target. */
        TOOL("name"),
        /** {@code params.name}: the span's {@code prompt_name}, and its name's target. */
        PROMPT("name"),
        /** {@code params.uri}: the span's {@code resource_uri} (not in the name: URIs can be many and long). */
        RESOURCE("uri");

        final Accessor param;

        Target(String param) {
            this.param = param == null ? null : Accessor.named(param);
        }
    }

    /** What a request's params or a result contributes to a span; runs on the request thread, so it only keeps references. */
    @FunctionalInterface
    interface Capture {
        Capture NOTHING = (span, value) -> { };

        void read(Span span, Object value);

        default Capture and(Capture next) {
            return (span, value) -> {
                read(span, value);
                next.read(span, value);
            };
        }
    }

    private static final Map<String, McpMethod> KNOWN = new HashMap<>();

    // Lifecycle
    public static final McpMethod INITIALIZE = known("initialize", Target.NONE,
            Sessions::clientHello, Sessions::handshakeResult);
    public static final McpMethod PING = known("ping");
    // Protocol revision 2026-07-28 (SDK 2.2's modern API): discovery instead of the initialize handshake, and a stream
    // for the server's notifications.
    public static final McpMethod SERVER_DISCOVER = known("server/discover");
    public static final McpMethod SUBSCRIPTIONS_LISTEN = known("subscriptions/listen");
    public static final McpMethod LOGGING_SET_LEVEL = known("logging/setLevel");

    // Tools: the call's arguments are what the model generated (completion tokens), its result what the model reads
    // (prompt tokens); the catalog of tools/list is read by the model at the start of every conversation.
    public static final McpMethod TOOLS_LIST = known("tools/list", Target.NONE, Capture.NOTHING, PayloadCapture::catalog);
    public static final McpMethod TOOLS_CALL = known("tools/call", Target.TOOL,
            ((Capture) PayloadCapture::toolArguments).and(CurrentSpan::keyToolCall),
            ((Capture) PayloadCapture::toolResult).and(SpanEnd::toolError));

    // Resources and prompts: what they return goes into the model's context.
    public static final McpMethod RESOURCES_LIST = known("resources/list");
    public static final McpMethod RESOURCES_TEMPLATES_LIST = known("resources/templates/list");
    public static final McpMethod RESOURCES_READ = known("resources/read", Target.RESOURCE, Capture.NOTHING,
            PayloadCapture::resourceContents);
    public static final McpMethod RESOURCES_SUBSCRIBE = known("resources/subscribe", Target.RESOURCE,
            Capture.NOTHING, Capture.NOTHING);
    public static final McpMethod RESOURCES_UNSUBSCRIBE = known("resources/unsubscribe", Target.RESOURCE,
            Capture.NOTHING, Capture.NOTHING);
    public static final McpMethod PROMPTS_LIST = known("prompts/list");
    public static final McpMethod PROMPTS_GET = known("prompts/get", Target.PROMPT, Capture.NOTHING,
            PayloadCapture::promptMessages);
    public static final McpMethod COMPLETION_COMPLETE = known("completion/complete", Target.NONE, Capture.NOTHING,
            PayloadCapture::completionValues);

    // Requests a server sends its client: sampling is a model call (its messages are the prompt, its content the
    // completion, priced with the model it names).
    public static final McpMethod SAMPLING_CREATE_MESSAGE = known("sampling/createMessage", Target.NONE,
            PayloadCapture::samplingRequest, PayloadCapture::samplingResult);
    public static final McpMethod ELICITATION_CREATE = known("elicitation/create");
    public static final McpMethod ROOTS_LIST = known("roots/list");

    // Notifications: spans without a request id, named after the method.
    public static final McpMethod NOTIFICATION_INITIALIZED = known("notifications/initialized");
    public static final McpMethod NOTIFICATION_CANCELLED = known("notifications/cancelled");
    public static final McpMethod NOTIFICATION_PROGRESS = known("notifications/progress");
    public static final McpMethod NOTIFICATION_MESSAGE = known("notifications/message");
    public static final McpMethod NOTIFICATION_RESOURCES_UPDATED = known("notifications/resources/updated");
    public static final McpMethod NOTIFICATION_RESOURCES_LIST_CHANGED = known("notifications/resources/list_changed");
    public static final McpMethod NOTIFICATION_TOOLS_LIST_CHANGED = known("notifications/tools/list_changed");
    public static final McpMethod NOTIFICATION_PROMPTS_LIST_CHANGED = known("notifications/prompts/list_changed");
    public static final McpMethod NOTIFICATION_ROOTS_LIST_CHANGED = known("notifications/roots/list_changed");
    public static final McpMethod NOTIFICATION_ELICITATION_COMPLETE = known("notifications/elicitation/complete");
    public static final McpMethod NOTIFICATION_SUBSCRIPTIONS_ACKNOWLEDGED =
            known("notifications/subscriptions/acknowledged");

    /** The method name as sent (cut at {@link Span#MAX_TEXT_CHARS} when not a known one). */
    public final String name;
    public final Target target;
    private final Capture onParams;
    private final Capture onResult;

    private McpMethod(String name, Target target, Capture onParams, Capture onResult) {
        this.name = name;
        this.target = target;
        this.onParams = onParams;
        this.onResult = onResult;
    }

    private static McpMethod known(String name) {
        return known(name, Target.NONE, Capture.NOTHING, Capture.NOTHING);
    }

    private static McpMethod known(String name, Target target, Capture onParams, Capture onResult) {
        McpMethod method = new McpMethod(name, target, onParams, onResult);
        KNOWN.put(name, method);
        return method;
    }

    /**
     * The table's entry for a method name, or a new entry without captures for a name it does not know (never
     * remembered: names come from clients, and a flood of made-up ones must not grow memory). Null for null.
     */
    public static McpMethod of(String name) {
        if (name == null) {
            return null;
        }
        McpMethod method = KNOWN.get(name);
        return method != null ? method : new McpMethod(Span.limit(name), Target.NONE, Capture.NOTHING, Capture.NOTHING);
    }

    /** Whether the table knows this method (else it is recorded with its name only). */
    public boolean isKnown() {
        return KNOWN.get(name) == this;
    }

    /** The known method names, for tests that compare the table with an SDK's. */
    public static java.util.Set<String> knownNames() {
        return java.util.Collections.unmodifiableSet(KNOWN.keySet());
    }

    /** The span's target fields and what the request's params contribute (request thread, when the span starts). */
    void readParams(Span span, Object params) {
        if (params == null) {
            return;
        }
        if (target != Target.NONE) {
            String value = Accessors.text(target.param.param(params));
            switch (target) {
                case TOOL:
                    span.toolName = value;
                    break;
                case PROMPT:
                    span.promptName = value;
                    break;
                default:
                    span.resourceUri = value;
                    break;
            }
        }
        onParams.read(span, params);
    }

    /** What a successful result contributes (tokens, a result-level error, the handshake). */
    void readResult(Span span, Object result) {
        if (result != null) {
            onResult.read(span, result);
        }
    }

    @Override
    public String toString() {
        return name;
    }
}
