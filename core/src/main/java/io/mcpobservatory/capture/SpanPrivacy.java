package io.mcpobservatory.capture;

import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.privacy.IdHasher;
import io.mcpobservatory.privacy.Masker;
import java.util.function.Consumer;

/**
 * The drainer's privacy step, run on every span before token accounting (which lets the captured payloads go): an error
 * message is always masked (exceptions quote user input: "no account for ada@example.org"), and with
 * {@code observatory.capture.content=true} the call's content is captured, masked and cut ({@link ContentCapture}).
 * Without capture no argument or result text is kept anywhere: the payloads are only counted, then dropped. With
 * {@code observatory.privacy.hash-ids=true} the session id is replaced by its keyed hash.
 */
public final class SpanPrivacy implements Consumer<Span> {

    private final Masker masker;
    private final ContentCapture capture;
    private final IdHasher ids;
    /** The last session id hashed and its hash: a session's spans come in runs, and an HMAC is ~1 µs. Drainer only. */
    private String lastId;
    private String lastHash;

    /**
     * @param captureMaxChars used only when {@code captureContent}
     * @param ids             null: session ids are stored as they are
     */
    public SpanPrivacy(Masker masker, boolean captureContent, int captureMaxChars, IdHasher ids) {
        this.masker = masker;
        this.capture = captureContent ? new ContentCapture(masker, captureMaxChars) : null;
        this.ids = ids;
    }

    @Override
    public void accept(Span span) {
        if (span.errorMessage != null) {
            span.errorMessage = masker.maskText(span.errorMessage);
        }
        if (capture != null) {
            capture.apply(span);
        }
        if (ids != null && span.sessionId != null) {
            if (!span.sessionId.equals(lastId)) {
                lastId = span.sessionId;
                lastHash = ids.hash(lastId);
            }
            span.sessionId = lastHash;
        }
    }
}
