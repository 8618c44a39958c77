package io.mcpobservatory.privacy;

/**
 * E-mail addresses, found from their {@code @}: a local part of letters, digits and {@code . _ % + -} (RFC 5322's
 * dot-atom minus the rarely used {@code ! # $ & ' * / = ? ^ ` { | } ~}, which in practice delimit an address in URLs and
 * prose: {@code ?to=bob@example.org} masks {@code bob@example.org}), then a domain of at least two dot-separated labels
 * (RFC 1035 letters, digits, inner hyphens; other scripts' letters too, RFC 6531), the last one at least two letters.
 * Dots at the ends of the local part and a sentence's full stop after the domain are not part of the address. The RFC
 * 5321 length limits are not applied: a longer local part is masked whole. {@code https://medium.com/@alice} is not an
 * address (no dot after the {@code @}); the user and password of {@code https://user:pw@host.example/} are masked as the
 * address {@code pw@host.example} (its user name stays).
 */
final class EmailDetector implements Detector {

    static final String KIND = "email";

    @Override
    public void scan(String s, Matches matches) {
        int from = 0;
        int at;
        while ((at = s.indexOf('@', from)) >= 0) {
            from = at + 1;
            int start = at;
            while (start > 0 && isLocal(s.charAt(start - 1))) {
                start--;
            }
            while (start < at && s.charAt(start) == '.') {
                start++;
            }
            if (start == at || s.charAt(at - 1) == '.') {
                continue;
            }
            int end = domainEnd(s, at + 1);
            if (end > 0 && matches.claim(start, end, KIND)) {
                from = end;
            }
        }
    }

    private static boolean isLocal(char c) {
        return Chars.isWord(c) || c == '.' || c == '%' || c == '+' || c == '-';
    }

    /** End of a domain name starting at {@code start}, or -1. */
    private static int domainEnd(String s, int start) {
        int n = s.length();
        int at = start;
        int labels = 0;
        int lastLabelStart = start;
        int end = -1;
        while (at < n) {
            int labelStart = at;
            while (at < n && (Character.isLetterOrDigit(s.charAt(at)) || s.charAt(at) == '-')) {
                at++;
            }
            if (at == labelStart || s.charAt(labelStart) == '-' || s.charAt(at - 1) == '-') {
                break;
            }
            labels++;
            lastLabelStart = labelStart;
            end = at;
            if (at + 1 < n && s.charAt(at) == '.' && Character.isLetterOrDigit(s.charAt(at + 1))) {
                at++;
            } else {
                break;
            }
        }
        if (labels < 2 || (end < n && (s.charAt(end) == '_' || s.charAt(end) == '@'))) {
            return -1;
        }
        for (int i = lastLabelStart; i < end; i++) {
            if (!Character.isLetter(s.charAt(i))) {
                return -1;
            }
        }
        return end - lastLabelStart >= 2 ? end : -1;
    }
}
