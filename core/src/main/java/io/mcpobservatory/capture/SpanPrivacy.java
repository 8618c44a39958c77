package io.mcpobservatory.capture;

import io.mcpobservatory.bootstrap.Span;
import io.mcpobservatory.privacy.Masker;
import java.util.function.Consumer;

/**
 * The drainer's privacy step, run on every span before token accounting (which lets the captured payloads go): an error
 * message is always masked (exceptions quote user input: "no account for ada@example.org"), and with
 * {@code observatory.capture.content=true} the call's content is captured, masked and cut ({@link ContentCapture}).
 * Without capture no argument or result text is kept anywhere: the payloads are only counted, then dropped.
 */
public final class SpanPrivacy implements Consumer<Span> {

    private final Masker masker;
    private final ContentCapture capture;

    /** @param captureMaxChars used only when {@code captureContent} */
    public SpanPrivacy(Masker masker, boolean captureContent, int captureMaxChars) {
        this.masker = masker;
        this.capture = captureContent ? new ContentCapture(masker, captureMaxChars) : null;
    }

    @Override
    public void accept(Span span) {
        if (span.errorMessage != null) {
            span.errorMessage = masker.maskText(span.errorMessage);
        }
        if (capture != null) {
            capture.apply(span);
        }
    }
}
