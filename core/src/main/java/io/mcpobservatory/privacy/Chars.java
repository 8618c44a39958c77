package io.mcpobservatory.privacy;

/** Character classes and token boundaries shared by the detectors. */
final class Chars {

    private Chars() {
    }

    static boolean isDigit(char c) {
        return c >= '0' && c <= '9';
    }

    static boolean isUpper(char c) {
        return c >= 'A' && c <= 'Z';
    }

    static boolean isHex(char c) {
        return isDigit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F');
    }

    static boolean isAsciiAlnum(char c) {
        return isDigit(c) || isUpper(c) || (c >= 'a' && c <= 'z');
    }

    /** A letter or digit of any script, or '_': what makes two characters part of one word. */
    static boolean isWord(char c) {
        return c == '_' || Character.isLetterOrDigit(c);
    }

    /** The alphabet of base64url (RFC 4648 section 5), used by JWTs and most API keys. */
    static boolean isBase64Url(char c) {
        return isAsciiAlnum(c) || c == '-' || c == '_';
    }

    /**
     * Whether a number may start at {@code i}: not inside a word, and not the continuation of a larger numeric expression
     * such as a version ({@code 1.2.3}), a date or id ({@code 2026-12-02}, {@code a456-4266...} in a UUID), a fraction
     * ({@code 0.4111...}: a double's digits) or a time ({@code 10:30}).
     */
    static boolean numberMayStart(String s, int i) {
        if (i == 0) {
            return true;
        }
        char p = s.charAt(i - 1);
        if (isWord(p)) {
            return false;
        }
        if (i >= 2) {
            char pp = s.charAt(i - 2);
            if ((p == '.' || p == '/' || p == ':') && isDigit(pp)) {
                return false;
            }
            if (p == '-' && Character.isLetterOrDigit(pp)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a number may end at {@code end} (exclusive): the mirror of {@link #numberMayStart}. */
    static boolean numberMayEnd(String s, int end) {
        if (end >= s.length()) {
            return true;
        }
        char c = s.charAt(end);
        if (isWord(c)) {
            return false;
        }
        if (end + 1 < s.length() && (c == '.' || c == '/' || c == ':' || c == '-')) {
            return !Character.isLetterOrDigit(s.charAt(end + 1));
        }
        return true;
    }

    /** End of the run of digits starting at {@code i}. */
    static int digitsEnd(String s, int i) {
        while (i < s.length() && isDigit(s.charAt(i))) {
            i++;
        }
        return i;
    }
}
