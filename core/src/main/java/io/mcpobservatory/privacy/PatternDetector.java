package io.mcpobservatory.privacy;

import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A pattern from the configuration ({@code observatory.privacy.patterns.<name>}), its matches reported as kind
 * {@code <name>}. A user's regex cannot be proven linear, so it reads the text through a counting view that stops it
 * after {@link #STEPS_PER_CHAR} character reads per character of text (plus a constant): a pattern that backtracks
 * catastrophically on some input is stopped there, and the whole text is masked as {@code <name>} (failing closed: what it
 * had not finished scanning may have held what it looks for).
 */
final class PatternDetector implements Detector {

    static final int STEPS_PER_CHAR = 64;

    private final String kind;
    private final Pattern pattern;

    PatternDetector(String kind, Pattern pattern) {
        this.kind = kind;
        this.pattern = pattern;
    }

    @Override
    public void scan(String s, Matches matches) {
        CountingChars chars = new CountingChars(s, (long) STEPS_PER_CHAR * s.length() + 10_000);
        try {
            Matcher matcher = pattern.matcher(chars);
            while (matcher.find()) {
                if (matcher.end() > matcher.start()) {
                    matches.claim(matcher.start(), matcher.end(), kind);
                }
            }
        } catch (BudgetExceeded e) {
            matches.claimFree(0, s.length(), kind);
        }
    }

    private static final class BudgetExceeded extends RuntimeException {
        BudgetExceeded() {
            super(null, null, false, false);
        }
    }

    /** The text, counting every character the matcher reads. */
    private static final class CountingChars implements CharSequence {
        private final String text;
        private final int offset;
        private final int length;
        private final long[] left;

        CountingChars(String text, long budget) {
            this(text, 0, text.length(), new long[] {budget});
        }

        private CountingChars(String text, int offset, int length, long[] left) {
            this.text = text;
            this.offset = offset;
            this.length = length;
            this.left = left;
        }

        @Override
        public char charAt(int index) {
            if (--left[0] < 0) {
                throw new BudgetExceeded();
            }
            return text.charAt(offset + index);
        }

        @Override
        public int length() {
            return length;
        }

        @Override
        public CharSequence subSequence(int start, int end) {
            return new CountingChars(text, offset + start, end - start, left);
        }

        @Override
        public String toString() {
            return text.substring(offset, offset + length);
        }
    }
}
