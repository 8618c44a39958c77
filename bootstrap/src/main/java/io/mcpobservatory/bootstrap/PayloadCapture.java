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

    private static final Accessor ARGUMENTS = Accessor.named("arguments");
    private static final Accessor BLOB = Accessor.named("blob");
    private static final Accessor COMPLETION = Accessor.named("completion");
    private static final Accessor CONTENT = Accessor.named("content");
    private static final Accessor CONTENTS = Accessor.named("contents");
    private static final Accessor DATA = Accessor.named("data");
    private static final Accessor DESCRIPTION = Accessor.named("description");
    private static final Accessor MESSAGES = Accessor.named("messages");
    private static final Accessor MIME_TYPE = Accessor.named("mimeType");
    private static final Accessor MODEL = Accessor.named("model");
    private static final Accessor NAME = Accessor.named("name");
    private static final Accessor RESOURCE = Accessor.named("resource");
    private static final Accessor STRUCTURED_CONTENT = Accessor.named("structuredContent");
    private static final Accessor SYSTEM_PROMPT = Accessor.named("systemPrompt");
    private static final Accessor TEXT = Accessor.named("text");
    private static final Accessor TOOLS = Accessor.named("tools");
    private static final Accessor URI = Accessor.named("uri");
    private static final Accessor VALUES = Accessor.named("values");

    private PayloadCapture() {
    }

    /** tools/call params: the model generated the call's arguments, they are its completion tokens. */
    static void toolArguments(Span span, Object params) {
        Object arguments = ARGUMENTS.param(params);
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
        forEach(CONTENT.param(result), item -> content(payload, item));
        boolean hasText = false;
        for (Payload.Part part : payload.parts) {
            hasText |= part instanceof Payload.Text || part instanceof Payload.Sliced;
        }
        if (!hasText) {
            payload.structured(STRUCTURED_CONTENT.param(result));
        }
        prompt(span, payload);
    }

    /** tools/list result: the catalog every conversation starts with. */
    static void catalog(Span span, Object result) {
        Payload payload = new Payload();
        payload.catalog(TOOLS.param(result));
        prompt(span, payload);
    }

    /** resources/read result: its text contents (and images). */
    static void resourceContents(Span span, Object result) {
        Payload payload = new Payload();
        forEach(CONTENTS.param(result), item -> resourceContents(payload, item));
        prompt(span, payload);
    }

    /** prompts/get result: its description and its messages' content. */
    static void promptMessages(Span span, Object result) {
        Payload payload = new Payload();
        payload.text(DESCRIPTION.param(result));
        forEach(MESSAGES.param(result), message -> content(payload, CONTENT.param(message)));
        prompt(span, payload);
    }

    /** completion/complete result: the values offered. */
    static void completionValues(Span span, Object result) {
        Payload payload = new Payload();
        forEach(VALUES.param(COMPLETION.param(result)), payload::text);
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
        payload.text(SYSTEM_PROMPT.param(params));
        forEach(MESSAGES.param(params), message -> content(payload, CONTENT.param(message)));
        prompt(span, payload);
    }

    /** sampling/createMessage result: what the model generated (completion tokens), and which model that was. */
    static void samplingResult(Span span, Object result) {
        span.model = Accessors.text(MODEL.param(result));
        Payload generated = new Payload();
        content(generated, CONTENT.param(result));
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
        Object text = TEXT.param(item);
        if (text != null) {
            payload.text(text);
            return;
        }
        Object resource = RESOURCE.param(item);
        if (resource != null) { // embedded resource
            resourceContents(payload, resource);
            return;
        }
        Object data = DATA.param(item);
        if (data != null) {
            String mimeType = String.valueOf(MIME_TYPE.param(item));
            if (mimeType.startsWith("image/")) {
                image(payload, data);
            }
            // audio: not counted; models bill it by duration, which the agent does not decode (README)
            return;
        }
        Object uri = URI.param(item);
        if (uri != null) { // resource link: the model sees the link, not the resource
            Map<String, Object> link = new LinkedHashMap<>();
            link.put("uri", String.valueOf(uri));
            putIfSet(link, "name", NAME.param(item));
            putIfSet(link, "description", DESCRIPTION.param(item));
            payload.structured(link);
        }
    }

    /** Text resource contents as text; a blob counts as an image when it is one, else not at all. */
    private static void resourceContents(Payload payload, Object contents) {
        Object text = TEXT.param(contents);
        if (text != null) {
            payload.text(text);
            return;
        }
        Object blob = BLOB.param(contents);
        if (blob != null && String.valueOf(MIME_TYPE.param(contents)).startsWith("image/")) {
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
