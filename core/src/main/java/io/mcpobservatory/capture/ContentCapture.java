package io.mcpobservatory.capture;

import io.mcpobservatory.bootstrap.McpMethod;
import io.mcpobservatory.bootstrap.Payload;
import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.privacy.Masker;
import io.mcpobservatory.tokens.JsonText;
import java.io.IOException;

/**
 * Content capture ({@code observatory.capture.content=true}), on the drainer: makes a span's {@code tool_arguments} and
 * {@code tool_result} from the payloads the request thread captured by reference for token counting (so capture adds
 * nothing on the request thread), masks them, and cuts them at {@code observatory.capture.max-chars}. Runs before token
 * accounting, which lets the payloads go.
 *
 * <p>What is captured: a tool call's arguments (JSON) and result (its text items, else its structured content); the
 * text of a resources/read and a prompts/get result; a sampling/createMessage's messages and the text the model
 * generated. Not the tool catalog (it is no content of a call) and no other method.
 *
 * <p>Masking comes first, then the cut: a value cut first could leave half a card number or token that no detector
 * recognises any more. A JSON value is masked as a value (sensitive keys at any depth), then written; a text is masked
 * over the part that can be kept plus {@link #MARGIN}, and what the margin covered is never kept, so a secret that
 * straddles the end of the scanned part cannot slip through in pieces.
 */
public final class ContentCapture {

    /** Characters scanned past the kept length of a long text: longer than any token or key shape the masker knows. */
    static final int MARGIN = 4096;
    static final String CUT_MARKER = "…[cut: %d more chars]";

    private final Masker masker;
    private final int maxChars;

    public ContentCapture(Masker masker, int maxChars) {
        this.masker = masker;
        this.maxChars = maxChars;
    }

    public void apply(Span span) {
        Payload request;
        Payload result;
        if (span.method == McpMethod.TOOLS_CALL) {
            request = span.completionPayload; // the arguments the model generated
            result = span.promptPayload; // what the result put into its context
        } else if (span.method == McpMethod.SAMPLING_CREATE_MESSAGE) {
            request = span.promptPayload; // the messages sent to the model
            result = span.completionPayload; // what it generated
        } else if (span.method == McpMethod.RESOURCES_READ || span.method == McpMethod.PROMPTS_GET) {
            request = null;
            result = span.promptPayload;
        } else {
            return;
        }
        span.toolArguments = content(request);
        span.toolResult = content(result);
    }

    /** The payload's parts, each masked and all together cut at {@code maxChars}; null for none. */
    private String content(Payload payload) {
        if (payload == null || payload.parts.isEmpty()) {
            return null;
        }
        StringBuilder out = new StringBuilder();
        long more = 0;
        for (Payload.Part part : payload.parts) {
            int room = maxChars - out.length();
            if (room <= 0) {
                more += partChars(part);
                continue;
            }
            if (out.length() > 0) {
                out.append('\n');
                room--;
            }
            Piece piece = piece(part, room);
            out.append(piece.text);
            more += piece.cut;
        }
        if (more > 0) {
            out.append(String.format(CUT_MARKER, more));
        }
        return out.toString();
    }

    /** What is left out of one part: its masked text, at most {@code room} characters of it. */
    private static final class Piece {
        final String text;
        final long cut;

        Piece(String text, long cut) {
            this.text = text;
            this.cut = cut;
        }
    }

    private Piece piece(Payload.Part part, int room) {
        if (part instanceof Payload.Text) {
            return text(((Payload.Text) part).text(), room);
        }
        if (part instanceof Payload.Sliced) {
            Payload.Sliced sliced = (Payload.Sliced) part;
            Piece head = text(sliced.slices[0], room); // the text's beginning; the rest was only sampled
            return new Piece(head.text, head.cut + sliced.fullChars - sliced.slices[0].length());
        }
        if (part instanceof Payload.Structured) {
            try {
                JsonText.Result json = JsonText.of(masker.mask(((Payload.Structured) part).value()),
                        room);
                return new Piece(json.text, json.fullChars - json.text.length());
            } catch (IOException | RuntimeException e) {
                return new Piece("", 0);
            }
        }
        return new Piece("", 0); // a catalog is not captured
    }

    /** A text masked over what can be kept plus the margin; the margin itself is dropped when the text was longer. */
    private Piece text(String text, int room) {
        if (text.length() <= room) {
            return new Piece(masker.maskText(text), 0);
        }
        int scanned = (int) Math.min(text.length(), (long) room + MARGIN);
        String masked = masker.maskText(cutAt(text, scanned));
        int keep = scanned < text.length() ? Math.min(room, Math.max(0, masked.length() - MARGIN)) : room;
        keep = Math.min(keep, masked.length());
        String kept = cutAt(masked, keep);
        return new Piece(kept, text.length() - kept.length());
    }

    private static long partChars(Payload.Part part) {
        if (part instanceof Payload.Text) {
            return ((Payload.Text) part).text().length();
        }
        return part instanceof Payload.Sliced ? ((Payload.Sliced) part).fullChars : 0;
    }

    /** The first {@code length} characters, never splitting a surrogate pair. */
    static String cutAt(String text, int length) {
        if (length >= text.length()) {
            return text;
        }
        int end = length > 0 && Character.isHighSurrogate(text.charAt(length - 1)) ? length - 1 : length;
        return text.substring(0, end);
    }
}
