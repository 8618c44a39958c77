package io.mcpobservatory.privacy;

import java.nio.CharBuffer;

/**
 * Values of sensitive keys written in free text, as error messages and log lines quote them, and as JSON that could not
 * be parsed (cut, or too deep) still shows them: {@code password=hunter2}, {@code "api_key": "abc"},
 * {@code Authorization: Basic dXNlcjpwdw==}, {@code ?token=abc&user=bob}, {@code "secret": {"a": [1, 2]}}.
 *
 * <p>A key is a run of letters, digits and {@code _ . -}, possibly in quotes, followed by {@code :} or {@code =}. Its
 * value is a quoted string (to its closing quote, or the end of the text when cut), a bracketed structure (to its
 * matching bracket, strings respected, or the end), or else a bare word ending at white space or one of
 * {@code , ; & " ' < > ) ] }}; for {@code authorization} and {@code cookie} keys a bare value runs to the end of the
 * line (a header value has spaces: {@code Bearer abc}, {@code a=1; b=2}). The key stays; the value becomes the marker,
 * in quotes when it was a structure (so JSON-like text stays JSON-like).
 */
final class KeyValueDetector implements Detector {

    static final String KIND = "key";

    private final SensitiveKeys keys;

    KeyValueDetector(SensitiveKeys keys) {
        this.keys = keys;
    }

    @Override
    public void scan(String s, Matches matches) {
        if (s.indexOf(':') < 0 && s.indexOf('=') < 0) {
            return;
        }
        int n = s.length();
        int i = 0;
        while (i < n) {
            if (!isKeyChar(s.charAt(i)) || (i > 0 && isKeyChar(s.charAt(i - 1)))) {
                i++;
                continue;
            }
            int keyEnd = i;
            while (keyEnd < n && isKeyChar(s.charAt(keyEnd))) {
                keyEnd++;
            }
            int next = keyEnd;
            int valueEnd = -1;
            int at = keyEnd;
            if (at < n && (s.charAt(at) == '"' || s.charAt(at) == '\'') && i > 0 && s.charAt(i - 1) == s.charAt(at)) {
                at++;
            }
            at = skipBlanks(s, at);
            if (at < n && (s.charAt(at) == ':' || s.charAt(at) == '=') && keys.matches(CharBuffer.wrap(s, i, keyEnd))) {
                int valueStart = skipBlanks(s, at + 1);
                valueEnd = valueEnd(s, valueStart, SensitiveKeys.lineValued(CharBuffer.wrap(s, i, keyEnd)));
                if (valueEnd > valueStart) {
                    char first = s.charAt(valueStart);
                    if (first == '"' || first == '\'') {
                        // the quotes stay; a string cut before its closing quote is masked to the end
                        int close = closingQuote(s, valueStart);
                        matches.claim(valueStart + 1, close >= 0 ? close : n, KIND);
                    } else {
                        matches.claim(valueStart, valueEnd, KIND, first == '{' || first == '[');
                    }
                    next = Math.max(next, valueEnd);
                }
            }
            i = next;
        }
    }

    private static boolean isKeyChar(char c) {
        return Chars.isWord(c) || c == '-' || c == '.';
    }

    private static int skipBlanks(String s, int at) {
        while (at < s.length() && (s.charAt(at) == ' ' || s.charAt(at) == '\t')) {
            at++;
        }
        return at;
    }

    /** End (exclusive) of the value starting at {@code start}: see the class comment. */
    static int valueEnd(String s, int start, boolean toEndOfLine) {
        int n = s.length();
        if (start >= n) {
            return start;
        }
        char first = s.charAt(start);
        if (first == '"' || first == '\'') {
            int close = closingQuote(s, start);
            return close >= 0 ? close + 1 : n;
        }
        if (first == '{' || first == '[') {
            return structureEnd(s, start);
        }
        int at = start;
        while (at < n) {
            char c = s.charAt(at);
            if (c == '\n' || c == '\r' || (!toEndOfLine && (Character.isWhitespace(c) || ",;&\"'<>)]}".indexOf(c) >= 0))) {
                break;
            }
            at++;
        }
        return at;
    }

    /** Index of the quote closing the string that opens at {@code start} (backslash escapes skipped), or -1. */
    private static int closingQuote(String s, int start) {
        char quote = s.charAt(start);
        int at = start + 1;
        while (at < s.length()) {
            char c = s.charAt(at);
            if (c == quote) {
                return at;
            }
            at += c == '\\' ? 2 : 1;
        }
        return -1;
    }

    /** End of the bracketed structure at {@code start}: its matching bracket, or the end of the text. */
    private static int structureEnd(String s, int start) {
        int depth = 0;
        int n = s.length();
        int at = start;
        while (at < n) {
            char c = s.charAt(at);
            if (c == '"') {
                at++;
                while (at < n && s.charAt(at) != '"') {
                    at += s.charAt(at) == '\\' ? 2 : 1;
                }
            } else if (c == '{' || c == '[') {
                depth++;
            } else if (c == '}' || c == ']') {
                depth--;
                if (depth == 0) {
                    return at + 1;
                }
            }
            at++;
        }
        return n;
    }
}
