package io.mcpobservatory.privacy;

import com.fasterxml.jackson.core.io.JsonStringEncoder;

/** Lenient decoding of a JSON string that may be cut short, and encoding back (RFC 8259 section 7). */
final class JsonStrings {

    private JsonStrings() {
    }

    /**
     * Decodes the string content starting at {@code from} (after the opening quote) into {@code out}, up to the closing
     * quote or the end of the text; an escape cut short or malformed is dropped. Returns the index of the closing quote,
     * or the text's length.
     */
    static int decode(String text, int from, StringBuilder out) {
        int i = from;
        int n = text.length();
        while (i < n) {
            char c = text.charAt(i);
            if (c == '"') {
                return i;
            }
            if (c != '\\') {
                out.append(c);
                i++;
                continue;
            }
            if (i + 1 >= n) {
                return n;
            }
            char e = text.charAt(i + 1);
            i += 2;
            switch (e) {
                case 'b' -> out.append('\b');
                case 'f' -> out.append('\f');
                case 'n' -> out.append('\n');
                case 'r' -> out.append('\r');
                case 't' -> out.append('\t');
                case 'u' -> {
                    if (i + 4 <= n && isHex4(text, i)) {
                        out.append((char) Integer.parseInt(text, i, i + 4, 16));
                        i += 4;
                    } else if (i + 4 > n) {
                        return n;
                    }
                }
                default -> out.append(e); // \" \\ \/ and, leniently, anything else
            }
        }
        return n;
    }

    private static boolean isHex4(String text, int at) {
        for (int k = at; k < at + 4; k++) {
            if (!Chars.isHex(text.charAt(k))) {
                return false;
            }
        }
        return true;
    }

    static String encode(String value) {
        return new String(JsonStringEncoder.getInstance().quoteAsString(value));
    }
}
