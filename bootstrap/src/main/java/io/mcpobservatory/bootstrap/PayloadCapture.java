package io.mcpobservatory.bootstrap;

import java.util.LinkedHashMap;
import java.util.Map;

/**
 * The readers {@link McpMethod}'s table uses to pick, on the request thread, what of a request or result reaches a model's
 * context (the README's "Tokens and cost" rules): references and a few length reads only; tokenizing happens on the
 * drainer. They read SDK objects by name ({@link Accessors#param}), so records (results built by the application) and maps
 * (parsed JSON) alike.
 */
final class PayloadCapture {

    private PayloadCapture() {
    }

    /** tools/call params: the model generated the call's arguments, they are its completion tokens. */
    static void toolArguments(Span span, Object params) {
        Object arguments = Accessors.param(params, "arguments");
        if (arguments != null) {
            Payload payload = new Payload();
            payload.structured(arguments);
            span.completionPayload = payload;
        }
    }

    /**
     * tools/call result: its content items; {@code structuredContent} only when no item is text (the spec has servers
     * repeat it as text).
     */
    static void toolResult(Span span, Object result) {
        Payload payload = new Payload();
        forEach(Accessors.param(result, "content"), item -> content(payload, item));
        boolean hasText = false;
        for (Payload.Part part : payload.parts) {
            hasText |= part instanceof Payload.Text || part instanceof Payload.Sliced;
        }
        if (!hasText) {
            payload.structured(Accessors.param(result, "structuredContent"));
        }
        prompt(span, payload);
    }

    /** tools/list result: the catalog every conversation starts with. */
    static void catalog(Span span, Object result) {
        Payload payload = new Payload();
        payload.catalog(Accessors.param(result, "tools"));
        prompt(span, payload);
    }

    /** resources/read result: its text contents (and images). */
    static void resourceContents(Span span, Object result) {
        Payload payload = new Payload();
        forEach(Accessors.param(result, "contents"), item -> resourceContents(payload, item));
        prompt(span, payload);
    }

    /** prompts/get result: its description and its messages' content. */
    static void promptMessages(Span span, Object result) {
        Payload payload = new Payload();
        payload.text(Accessors.param(result, "description"));
        forEach(Accessors.param(result, "messages"), message -> content(payload, Accessors.param(message, "content")));
        prompt(span, payload);
    }

    /** completion/complete result: the values offered. */
    static void completionValues(Span span, Object result) {
        Payload payload = new Payload();
        forEach(Accessors.param(Accessors.param(result, "completion"), "values"), payload::text);
        prompt(span, payload);
    }

    /**
     * sampling/createMessage params, on the side that sends it (the server asking its client's model): the system prompt
     * and the messages are the model call's prompt.
     */
    static void samplingRequest(Span span, Object params) {
        if (span.isServer()) {
            return;
        }
        Payload payload = new Payload();
        payload.text(Accessors.param(params, "systemPrompt"));
        forEach(Accessors.param(params, "messages"), message -> content(payload, Accessors.param(message, "content")));
        prompt(span, payload);
    }

    /** sampling/createMessage result: what the model generated (completion tokens), and which model that was. */
    static void samplingResult(Span span, Object result) {
        span.model = Accessors.text(Accessors.param(result, "model"));
        Payload generated = new Payload();
        content(generated, Accessors.param(result, "content"));
        if (!generated.isEmpty()) {
            span.completionPayload = generated;
        }
    }

    private static void prompt(Span span, Payload payload) {
        if (!payload.isEmpty()) {
            span.promptPayload = payload;
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
