package io.mcpobservatory.privacy;

/**
 * US Social Security numbers in their printed form {@code AAA-GG-SSSS}, minus the numbers the SSA never issues: area
 * 000, 666 and 900-999, group 00, serial 0000. Nine digits without dashes are not matched: too many ids look like that.
 */
final class SsnDetector extends AnchoredDetector {

    static final String KIND = "ssn";

    SsnDetector() {
        super(KIND, DIGITS, '-');
    }

    @Override
    int matchAt(String s, int i) {
        boolean ssn = i + 11 <= s.length() && Chars.isDigit(s.charAt(i)) && Chars.numberMayStart(s, i) && shape(s, i)
                && Chars.numberMayEnd(s, i + 11) && issuable(s, i);
        return ssn ? i + 11 : -1;
    }

    private static boolean shape(String s, int i) {
        for (int k = 0; k < 11; k++) {
            char c = s.charAt(i + k);
            boolean dash = k == 3 || k == 6;
            if (dash ? c != '-' : !Chars.isDigit(c)) {
                return false;
            }
        }
        return true;
    }

    private static boolean issuable(String s, int i) {
        int area = Integer.parseInt(s, i, i + 3, 10);
        int group = Integer.parseInt(s, i + 4, i + 6, 10);
        int serial = Integer.parseInt(s, i + 7, i + 11, 10);
        return area != 0 && area != 666 && area < 900 && group != 0 && serial != 0;
    }
}
