package io.mcpobservatory.privacy;

/**
 * Phone numbers in three written forms:
 *
 * <ul>
 *   <li>international (E.164, ITU-T): {@code +}, then 8 to 15 digits, possibly in groups separated by one space, dash or
 *   dot, or in parentheses ({@code +14155552671}, {@code +44 20 7946 0958}, {@code +1 (555) 123-4567}); when the groups
 *   run on past 15 digits, the longest prefix of groups within 15 is taken;</li>
 *   <li>North American (NANP) national: {@code (NXX) XXX-XXXX}, {@code NXX-XXX-XXXX}, {@code NXX.XXX.XXXX},
 *   {@code NXX XXX XXXX}, optionally after {@code 1} and the same separator; the area code's first digit is 2-9 as the
 *   plan requires (the exchange's is not checked: fictional {@code 555-123-4567} is the usual example);</li>
 *   <li>national with trunk prefix 0 (most of Europe, Asia, Africa): {@code 0} and a non-zero digit, 10 or 11 digits in
 *   2 to 5 groups separated by one space or one dash, the groups after the first either all pairs or all of 3 to 8
 *   digits ({@code 020 7946 0958}, {@code 030-1234567}, {@code 06 12 34 56 78}).</li>
 * </ul>
 *
 * Not phones: a bare run of digits without {@code +} (an id), dates ({@code 2026-12-02}: too few digits), versions and
 * addresses with dots, UUIDs (their groups touch letters). Card numbers and SSNs are claimed before this runs.
 */
final class PhoneDetector extends AnchoredDetector {

    static final String KIND = "phone";

    PhoneDetector() {
        super(KIND, DIGITS + "+(");
    }

    @Override
    int matchAt(String s, int i) {
        char c = s.charAt(i);
        if (c == '+' && (i == 0 || !Character.isLetterOrDigit(s.charAt(i - 1)) && s.charAt(i - 1) != '+')) {
            return international(s, i);
        }
        if ((c == '(' || Chars.isDigit(c)) && Chars.numberMayStart(s, i)) {
            int end = northAmerican(s, i);
            return end < 0 && c == '0' ? trunkZero(s, i) : end;
        }
        return -1;
    }

    @Override
    int next(String s, int i) {
        return afterDigits(s, i);
    }

    private static int international(String s, int plus) {
        int n = s.length();
        int at = plus + 1;
        if (at >= n || !Chars.isDigit(s.charAt(at))) {
            return -1;
        }
        int digits = 0;
        int best = -1;
        while (at < n) {
            // a group: digits, or digits in parentheses
            boolean parenthesis = s.charAt(at) == '(';
            int digitStart = parenthesis ? at + 1 : at;
            int digitEnd = Chars.digitsEnd(s, digitStart);
            int end = digitEnd;
            if (parenthesis) {
                if (digitEnd >= n || s.charAt(digitEnd) != ')') {
                    break;
                }
                end = digitEnd + 1;
            }
            if (digitEnd == digitStart || digits + digitEnd - digitStart > 15) {
                break;
            }
            digits += digitEnd - digitStart;
            if (!parenthesis && digits >= 8 && Chars.numberMayEnd(s, end)) {
                best = end;
            }
            // the next group: after one separator, or right after a parenthesis ("+1(555)123-4567" occurs)
            at = end;
            if (at + 1 >= n) {
                break;
            }
            char c = s.charAt(at);
            char next = s.charAt(at + 1);
            if ((c == ' ' || c == '-' || c == '.') && (Chars.isDigit(next) || next == '(')) {
                at++;
            } else if (!(c == '(' || parenthesis && Chars.isDigit(c))) {
                break;
            }
        }
        return best;
    }

    private static int northAmerican(String s, int start) {
        int n = s.length();
        int at = start;
        // optional country code 1 and a separator
        if (at + 1 < n && s.charAt(at) == '1' && isSeparator(s.charAt(at + 1))) {
            int end = northAmericanNumber(s, at + 2, s.charAt(at + 1));
            if (end > 0) {
                return end;
            }
        }
        return northAmericanNumber(s, at, (char) 0);
    }

    /** {@code (NXX) XXX-XXXX} and friends at {@code at}; {@code required}: the separator the number must use, or 0. */
    private static int northAmericanNumber(String s, int at, char required) {
        int n = s.length();
        char second;
        if (at < n && s.charAt(at) == '(') {
            if (!digits(s, at + 1, 3) || at + 4 >= n || s.charAt(at + 4) != ')' || !areaCode(s, at + 1)) {
                return -1;
            }
            at += 5;
            if (at < n && (s.charAt(at) == ' ' || s.charAt(at) == '-')) {
                at++;
            }
            if (!digits(s, at, 3) || at + 3 >= n) {
                return -1;
            }
            second = s.charAt(at + 3);
            if (!isSeparator(second)) {
                return -1;
            }
        } else {
            if (!digits(s, at, 3) || !areaCode(s, at) || at + 3 >= n) {
                return -1;
            }
            char first = s.charAt(at + 3);
            if (!isSeparator(first) || (required != 0 && first != required)) {
                return -1;
            }
            at += 4;
            if (!digits(s, at, 3) || at + 3 >= n || s.charAt(at + 3) != first) {
                return -1;
            }
            second = first;
        }
        at += 4;
        if (!digits(s, at, 4) || !Chars.numberMayEnd(s, at + 4)) {
            return -1;
        }
        return second == 0 ? -1 : at + 4;
    }

    private static int trunkZero(String s, int start) {
        int n = s.length();
        if (start + 1 >= n || s.charAt(start + 1) == '0') {
            return -1;
        }
        int firstEnd = Chars.digitsEnd(s, start);
        int first = firstEnd - start;
        if (first < 2 || first > 5 || firstEnd + 1 >= n) {
            return -1;
        }
        char separator = s.charAt(firstEnd);
        if (separator != ' ' && separator != '-') {
            return -1;
        }
        int digits = first;
        int groups = 1;
        int at = firstEnd;
        boolean pairs = false;
        boolean longer = false;
        while (groups < 5 && at + 1 < n && s.charAt(at) == separator && Chars.isDigit(s.charAt(at + 1))) {
            int next = Chars.digitsEnd(s, at + 1);
            int length = next - at - 1;
            pairs |= length == 2;
            longer |= length > 2;
            // pairs throughout (06 12 34 56 78) or groups of 3 to 8 (020 7946 0958), not a mix: 0532 0130 01 is the
            // tail of something else
            if (length < 2 || length > 8 || digits + length > 11 || (pairs && longer)) {
                return -1;
            }
            digits += length;
            groups++;
            at = next;
        }
        if (groups < 2 || digits < 10 || !Chars.numberMayEnd(s, at)) {
            return -1;
        }
        // more groups of the same shape: a longer sequence of numbers, not one phone number
        if (at + 1 < n && s.charAt(at) == separator && Chars.isDigit(s.charAt(at + 1))) {
            return -1;
        }
        return at;
    }

    private static boolean isSeparator(char c) {
        return c == '-' || c == '.' || c == ' ';
    }

    private static boolean areaCode(String s, int at) {
        return s.charAt(at) >= '2';
    }

    /** Exactly {@code count} digits at {@code at}, and no digit right after them. */
    private static boolean digits(String s, int at, int count) {
        if (at + count > s.length()) {
            return false;
        }
        for (int k = at; k < at + count; k++) {
            if (!Chars.isDigit(s.charAt(k))) {
                return false;
            }
        }
        return at + count == s.length() || !Chars.isDigit(s.charAt(at + count));
    }
}
