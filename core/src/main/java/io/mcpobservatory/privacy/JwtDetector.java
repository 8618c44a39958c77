package io.mcpobservatory.privacy;

/**
 * JSON Web Tokens in their compact serialisation (RFC 7515 section 7.1, RFC 7519): base64url segments separated by dots,
 * the first one a JOSE header, which is JSON starting {@code {"} and therefore begins {@code eyJ} once encoded. Three
 * segments (JWS; the signature may be empty, as in {@code alg: none}) or five (JWE); the header at least 10 characters and
 * the payload at least 2. {@code eyJ} followed by a long run without dots is not a token.
 */
final class JwtDetector implements Detector {

    static final String KIND = "jwt";

    @Override
    public void scan(String s, Matches matches) {
        int from = 0;
        int start;
        while ((start = s.indexOf("eyJ", from)) >= 0) {
            int headerEnd = segmentEnd(s, start);
            from = headerEnd;
            if (start > 0 && (Chars.isBase64Url(s.charAt(start - 1)) || s.charAt(start - 1) == '.')) {
                continue;
            }
            int end = tokenEnd(s, start, headerEnd);
            if (end > 0 && matches.claim(start, end, KIND)) {
                from = end;
            }
        }
    }

    private static int tokenEnd(String s, int start, int headerEnd) {
        if (headerEnd - start < 10 || headerEnd >= s.length() || s.charAt(headerEnd) != '.') {
            return -1;
        }
        int payloadEnd = segmentEnd(s, headerEnd + 1);
        if (payloadEnd - headerEnd - 1 < 2 || payloadEnd >= s.length() || s.charAt(payloadEnd) != '.') {
            return -1;
        }
        int end = segmentEnd(s, payloadEnd + 1);
        // JWE: two more segments
        int fourth = end < s.length() && s.charAt(end) == '.' ? segmentEnd(s, end + 1) : -1;
        if (fourth > end + 1 && fourth < s.length() && s.charAt(fourth) == '.') {
            end = segmentEnd(s, fourth + 1);
        }
        return end;
    }

    private static int segmentEnd(String s, int at) {
        while (at < s.length() && Chars.isBase64Url(s.charAt(at))) {
            at++;
        }
        return at;
    }
}
