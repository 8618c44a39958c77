package io.mcpobservatory.bootstrap;

import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Picks, on the request thread, what of a request or result reaches a model's context, by the rules the README
 * documents ("Tokens and cost"): references and a few length reads only; tokenizing happens on the drainer. Reads SDK
 * objects by name ({@link Accessors#param}), so records (results built by the application) and maps (parsed JSON) alike.
 */
public final class PayloadCapture {

    /** Off: no payload is captured (set from the agent's configuration). */
    public static volatile boolean enabled = true;

    private PayloadCapture() {
    }

    /** The model generated a tool call's arguments: they are the call's completion tokens. */
    static void request(Span span, Object params) {
        if (!enabled || params == null || !"tools/call".equals(span.method)) {
            return;
        }
        Object arguments = Accessors.param(params, "arguments");
        if (arguments != null) {
            Payload payload = new Payload();
            payload.structured(arguments);
            span.completionPayload = payload;
        }
    }

    /**
     * A request the server sends its client. For {@code sampling/createMessage} (the server asking the client's model)
     * the system prompt and the messages are the model call's prompt.
     */
    static void outgoingRequest(Span span, Object params) {
        if (!enabled || params == null || !"sampling/createMessage".equals(span.method)) {
            return;
        }
        Payload payload = new Payload();
        payload.text(Accessors.param(params, "systemPrompt"));
        forEach(Accessors.param(params, "messages"), message -> content(payload, Accessors.param(message, "content")));
        if (!payload.isEmpty()) {
            span.promptPayload = payload;
        }
    }

    /**
     * What a successful (or tool_error) result puts into the model's context: the span's prompt tokens. For a sampling
     * result, what the model generated (completion tokens) and which model that was.
     */
    static void result(Span span, Object result) {
        if (!enabled || result == null || span.method == null) {
            return;
        }
        if ("sampling/createMessage".equals(span.method)) {
            span.model = Span.limit(SessionInfo.asString(Accessors.param(result, "model")));
            Payload generated = new Payload();
            content(generated, Accessors.param(result, "content"));
            if (!generated.isEmpty()) {
                span.completionPayload = generated;
            }
            return;
        }
        Payload payload = new Payload();
        switch (span.method) {
            case "tools/call":
                toolResult(payload, result);
                break;
            case "tools/list":
                payload.catalog(Accessors.param(result, "tools"));
                break;
            case "resources/read":
                forEach(Accessors.param(result, "contents"), item -> resourceContents(payload, item));
                break;
            case "prompts/get":
                payload.text(Accessors.param(result, "description"));
                forEach(Accessors.param(result, "messages"),
                        message -> content(payload, Accessors.param(message, "content")));
                break;
            case "completion/complete":
                forEach(Accessors.param(Accessors.param(result, "completion"), "values"), payload::text);
                break;
            default:
                return;
        }
        if (!payload.isEmpty()) {
            span.promptPayload = payload;
        }
    }

    /** The content items; {@code structuredContent} only when no item is text (the spec has servers repeat it as text). */
    private static void toolResult(Payload payload, Object result) {
        Object content = Accessors.param(result, "content");
        forEach(content, item -> content(payload, item));
        boolean hasText = false;
        for (Object part : payload.parts) {
            hasText |= part instanceof String || part instanceof Payload.Sliced;
        }
        if (!hasText) {
            payload.structured(Accessors.param(result, "structuredContent"));
        }
    }

    /** One content item of a tool result or prompt message, by what it carries. */
    private static void content(Payload payload, Object item) {
        if (item == null) {
            return;
        }
        Object text = Accessors.param(item, "text");
        if (text != null) {
            payload.text(text);
            return;
        }
        Object resource = Accessors.param(item, "resource");
        if (resource != null) { // embedded resource
            resourceContents(payload, resource);
            return;
        }
        Object data = Accessors.param(item, "data");
        if (data != null) {
            String mimeType = String.valueOf(Accessors.param(item, "mimeType"));
            if (mimeType.startsWith("image/")) {
                image(payload, data);
            }
            // audio: not counted; models bill it by duration, which the agent does not decode (README)
            return;
        }
        Object uri = Accessors.param(item, "uri");
        if (uri != null) { // resource link: the model sees the link, not the resource
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("uri", String.valueOf(uri));
            putIfSet(link, "name", Accessors.param(item, "name"));
            putIfSet(link, "description", Accessors.param(item, "description"));
            payload.structured(link);
        }
    }

    /** Text resource contents as text; a blob counts as an image when it is one, else not at all. */
    private static void resourceContents(Payload payload, Object contents) {
        Object text = Accessors.param(contents, "text");
        if (text != null) {
            payload.text(text);
            return;
        }
        Object blob = Accessors.param(contents, "blob");
        if (blob != null && String.valueOf(Accessors.param(contents, "mimeType")).startsWith("image/")) {
            image(payload, blob);
        }
    }

    private static void image(Payload payload, Object base64) {
        int tokens = ImageTokens.ofBase64(base64.toString());
        if (tokens < 0) {
            tokens = ImageTokens.MAX_TOKENS;
            payload.ruleEstimated = true;
        }
        payload.ruleTokens += tokens;
    }

    private static void putIfSet(Map<String, Object> map, String key, Object value) {
        if (value != null) {
            map.put(key, value);
        }
    }

    private static void forEach(Object list, java.util.function.Consumer<Object> action) {
        if (list instanceof Iterable) {
            for (Object item : (Iterable<?>) list) {
                action.accept(item);
            }
        }
    }
}
