package io.mcpobservatory.privacy;

/**
 * Payment card numbers (ISO/IEC 7812 PANs): 13 to 19 digits whose last digit is the Luhn check digit, written either as
 * one run of digits or in groups separated by one space or one dash, the same separator throughout. Grouped: a first
 * group of 4 digits (every scheme prints its PANs that way: 4-4-4-4, 4-6-5, 4-6-4, 4-4-4-4-3) and groups of 3 to 6
 * after it; the longest prefix of groups that is a valid number is taken. A 13-digit number must start with 4: Visa is
 * the only scheme that issued 13-digit PANs, and 13 digits starting with 1 are today's epoch milliseconds.
 */
final class CardDetector extends AnchoredDetector {

    static final String KIND = "card";

    CardDetector() {
        super(KIND, DIGITS);
    }

    @Override
    int next(String s, int i) {
        return afterDigits(s, i);
    }

    /** End of the card number starting at {@code start}, or -1. Looks at no more than about 25 characters. */
    @Override
    int matchAt(String s, int start) {
        if (!Chars.isDigit(s.charAt(start)) || !Chars.numberMayStart(s, start)) {
            return -1;
        }
        int firstEnd = Chars.digitsEnd(s, start);
        int firstLength = firstEnd - start;
        if (firstLength >= 13 && firstLength <= 19) {
            return Chars.numberMayEnd(s, firstEnd) && valid(s, start, firstEnd) ? firstEnd : -1;
        }
        if (firstLength != 4 || firstEnd + 1 >= s.length()) {
            return -1;
        }
        char separator = s.charAt(firstEnd);
        if (separator != ' ' && separator != '-') {
            return -1;
        }
        int digits = 4;
        int groupEnd = firstEnd;
        int best = -1;
        while (groupEnd + 1 < s.length() && s.charAt(groupEnd) == separator && Chars.isDigit(s.charAt(groupEnd + 1))) {
            int next = Chars.digitsEnd(s, groupEnd + 1);
            int length = next - groupEnd - 1;
            if (length < 3 || length > 6 || digits + length > 19) {
                break;
            }
            digits += length;
            groupEnd = next;
            if (digits >= 13 && Chars.numberMayEnd(s, groupEnd) && valid(s, start, groupEnd)) {
                best = groupEnd;
            }
        }
        return best;
    }

    private static boolean valid(String s, int start, int end) {
        int digits = 0;
        for (int i = start; i < end; i++) {
            if (Chars.isDigit(s.charAt(i))) {
                digits++;
            }
        }
        if (digits == 13 && s.charAt(start) != '4') {
            return false;
        }
        return luhn(s, start, end);
    }

    /**
     * The Luhn (mod 10) check of ISO/IEC 7812-1 over the digits of {@code [start, end)}, separators skipped: from the
     * rightmost digit (the check digit) leftwards, every second digit is doubled, 9 subtracted when the double exceeds
     * 9, and the sum must be a multiple of 10.
     */
    static boolean luhn(String s, int start, int end) {
        int sum = 0;
        boolean doubled = false;
        for (int i = end - 1; i >= start; i--) {
            char c = s.charAt(i);
            if (!Chars.isDigit(c)) {
                continue;
            }
            int d = c - '0';
            if (doubled) {
                d *= 2;
                if (d > 9) {
                    d -= 9;
                }
            }
            sum += d;
            doubled = !doubled;
        }
        return sum % 10 == 0;
    }
}
