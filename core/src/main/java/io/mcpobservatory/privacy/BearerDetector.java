package io.mcpobservatory.privacy;

/**
 * The credential after the {@code Bearer} scheme (RFC 6750 section 2.1; the scheme name is case-insensitive, RFC 9110
 * section 11.1; written Bearer, bearer or BEARER, the forms looked for), as an {@code Authorization} header quoted in
 * text has it: {@code Bearer abc.def-123}. The token is
 * the b64token syntax ({@code A-Z a-z 0-9 - . _ ~ + /}, then {@code =} padding). So that prose survives ("the bearer
 * of bad news"), a token must have at least 8 characters and a character that is not a letter, or at least 20. The
 * word {@code Bearer} stays; only the token is masked.
 */
final class BearerDetector implements Detector {

    static final String KIND = "bearer";
    private static final String SCHEME = "bearer";

    @Override
    public void scan(String s, Matches matches) {
        if (s.indexOf("earer") < 0 && s.indexOf("EARER") < 0) {
            return; // the scheme's name is case-insensitive, but written Bearer, bearer or BEARER
        }
        int n = s.length();
        for (int i = 0; i + SCHEME.length() < n; i++) {
            char c = s.charAt(i);
            if ((c != 'b' && c != 'B') || (i > 0 && Chars.isWord(s.charAt(i - 1)))
                    || !s.regionMatches(true, i, SCHEME, 0, SCHEME.length())) {
                continue;
            }
            int start = i + SCHEME.length();
            while (start < n && (s.charAt(start) == ' ' || s.charAt(start) == '\t')) {
                start++;
            }
            if (start == i + SCHEME.length()) {
                continue;
            }
            int end = start;
            boolean notLetter = false;
            while (end < n && isTokenChar(s.charAt(end))) {
                notLetter |= !Character.isLetter(s.charAt(end));
                end++;
            }
            while (end < n && s.charAt(end) == '=') {
                notLetter = true;
                end++;
            }
            int length = end - start;
            if (length >= 20 || (length >= 8 && notLetter)) {
                matches.claim(start, end, KIND);
            }
            i = Math.max(i, end - 1); // whether claimed or not, nothing inside this token needs a second look
        }
    }

    private static boolean isTokenChar(char c) {
        return Chars.isAsciiAlnum(c) || c == '-' || c == '.' || c == '_' || c == '~' || c == '+' || c == '/';
    }
}
