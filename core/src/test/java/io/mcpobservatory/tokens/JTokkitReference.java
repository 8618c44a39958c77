package io.mcpobservatory.tokens;

import com.knuddels.jtokkit.Encodings;
import com.knuddels.jtokkit.api.Encoding;
import com.knuddels.jtokkit.api.EncodingRegistry;

/**
 * JTokkit 1.1.0, the reference the counter must equal, as an application runs it: without Java assertions. Surefire
 * turns assertions on, and JTokkit's cl100k parser asserts that a text has no lone surrogate, where in production it
 * counts it (as three bytes); so assertions are switched off for JTokkit's package before any of its classes loads (every
 * test gets JTokkit from here).
 */
final class JTokkitReference {

    static {
        JTokkitReference.class.getClassLoader().setPackageAssertionStatus("com.knuddels.jtokkit", false);
    }

    private static final EncodingRegistry REGISTRY = Encodings.newLazyEncodingRegistry();

    private JTokkitReference() {
    }

    static Encoding of(String encoding) {
        return REGISTRY.getEncoding(encoding).orElseThrow();
    }
}
