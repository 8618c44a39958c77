package io.mcpobservatory.privacy;

/**
 * International bank account numbers (ISO 13616): a country code of two capital letters, two check digits and a BBAN
 * of capital letters and digits, 15 to 34 characters in all, whose ISO 7064 MOD 97-10 check holds (the number with its
 * first four characters moved to the end, letters as 10-35, is 1 modulo 97; the check digits are therefore 02-98).
 * Written either in one piece ({@code DE89370400440532013000}) or in ISO 13616's paper form, groups of four separated
 * by one space, the last group shorter ({@code DE89 3704 0044 0532 0130 00}); for the paper form, the longest run of
 * groups that passes the check is taken. The per-country lengths of the IBAN registry are not checked: the checksum
 * already refuses 96 of 97 random strings. Lower case is not matched (both ISO forms are upper case).
 */
final class IbanDetector extends AnchoredDetector {

    static final String KIND = "iban";

    IbanDetector() {
        super(KIND, "ABCDEFGHIJKLMNOPQRSTUVWXYZ");
    }

    @Override
    int matchAt(String s, int i) {
        if (i + 15 > s.length() || !Chars.isUpper(s.charAt(i)) || (i > 0 && Chars.isWord(s.charAt(i - 1)))
                || !Chars.isUpper(s.charAt(i + 1)) || !Chars.isDigit(s.charAt(i + 2))
                || !Chars.isDigit(s.charAt(i + 3))) {
            return -1;
        }
        int end = compact(s, i);
        return end > 0 ? end : paper(s, i);
    }

    private static int compact(String s, int start) {
        int end = start;
        while (end < s.length() && (Chars.isUpper(s.charAt(end)) || Chars.isDigit(s.charAt(end)))) {
            end++;
        }
        int length = end - start;
        boolean boundary = end == s.length() || !Chars.isWord(s.charAt(end));
        return length >= 15 && length <= 34 && boundary && valid(s, start, end) ? end : -1;
    }

    private static int paper(String s, int start) {
        int n = s.length();
        int at = start + 4;
        int characters = 4;
        int best = -1;
        while (at + 1 < n && s.charAt(at) == ' ' && characters < 34) {
            int groupEnd = at + 1;
            while (groupEnd < n && groupEnd - at - 1 < 4 && (Chars.isUpper(s.charAt(groupEnd))
                    || Chars.isDigit(s.charAt(groupEnd)))) {
                groupEnd++;
            }
            int length = groupEnd - at - 1;
            if (length == 0 || characters + length > 34 || (groupEnd < n && Chars.isWord(s.charAt(groupEnd)))) {
                break;
            }
            characters += length;
            at = groupEnd;
            if (characters >= 15 && valid(s, start, at)) {
                best = at;
            }
            if (length < 4) {
                break; // only the last group may be shorter
            }
        }
        return best;
    }

    /** ISO 7064 MOD 97-10 over {@code [start, end)}, spaces skipped. */
    static boolean valid(String s, int start, int end) {
        int check = (s.charAt(start + 2) - '0') * 10 + (s.charAt(start + 3) - '0');
        if (check < 2 || check > 98) {
            return false;
        }
        int remainder = 0;
        for (int pass = 0; pass < 2; pass++) {
            int from = pass == 0 ? start + 4 : start;
            int to = pass == 0 ? end : start + 4;
            for (int i = from; i < to; i++) {
                char c = s.charAt(i);
                if (c == ' ') {
                    continue;
                }
                if (Chars.isDigit(c)) {
                    remainder = (remainder * 10 + (c - '0')) % 97;
                } else {
                    remainder = (remainder * 100 + (c - 'A' + 10)) % 97;
                }
            }
        }
        return remainder == 1;
    }
}
