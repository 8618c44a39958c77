package io.mcpobservatory.privacy;

/**
 * A detector whose values start where a test at one position can tell (a digit after a non-digit, a capital letter, a
 * known prefix): it tries each position, claims what matches and moves past it. Each attempt reads a bounded number of
 * characters or skips what it read ({@link #next}), so the scan stays linear.
 */
abstract class AnchoredDetector implements Detector {

    static final String DIGITS = "0123456789";

    private final String kind;
    /** The ASCII characters a value may start with: the scan skips the others without a call (non-ASCII: none). */
    private final boolean[] starts = new boolean[128];
    /** A character every value has (0: none): a text without it is not scanned at all. */
    private final char required;

    AnchoredDetector(String kind, String startCharacters) {
        this(kind, startCharacters, (char) 0);
    }

    AnchoredDetector(String kind, String startCharacters, char required) {
        this.kind = kind;
        this.required = required;
        for (char c : startCharacters.toCharArray()) {
            starts[c] = true;
        }
    }

    /** End (exclusive) of a value starting at {@code i}, or -1. */
    abstract int matchAt(String s, int i);

    /** Where to try next after no value was taken at {@code i}. */
    int next(String s, int i) {
        return i + 1;
    }

    @Override
    public final void scan(String s, Matches matches) {
        if (required != 0 && s.indexOf(required) < 0) {
            return;
        }
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            if (c >= 128 || !starts[c]) {
                i++;
                continue;
            }
            int end = matchAt(s, i);
            i = end > i && matches.claim(i, end, kind) ? end : Math.max(i + 1, next(s, i));
        }
    }

    /** {@link #next} for values that start with a digit: no value starts inside a run of digits. */
    static int afterDigits(String s, int i) {
        return Chars.isDigit(s.charAt(i)) ? Chars.digitsEnd(s, i) : i + 1;
    }
}
