package io.mcpobservatory.privacy;

/**
 * IP addresses. IPv4: the dotted-decimal form, four decimal octets 0-255 without leading zeros (RFC 6943's strict
 * form: {@code 010.1.1.1} is ambiguous, octal to some parsers), not part of a longer dotted sequence ({@code 1.2.3.4.5} is a
 * version) nor after a letter ({@code v1.2.3.4}); a port or prefix length after it stays ({@code 10.0.0.1:8080}). Any
 * such quad is an address, {@code 1.2.3.4} included: a four-part version whose parts are all at most 255 is masked too.
 * IPv6: RFC 4291 section 2.2's text forms, eight groups of 1-4 hex digits, or fewer with one {@code ::}, the last 32
 * bits possibly as an IPv4 quad ({@code ::ffff:192.0.2.1}); a zone ({@code %eth0}) stays. Not addresses: a form without
 * any decimal digit ({@code dead::beef}, {@code add::} read as words), {@code ::} alone, times ({@code 10:30:00}) and
 * MAC addresses (too few groups, no {@code ::}).
 */
final class IpDetector {

    static final String V4 = "ipv4";
    static final String V6 = "ipv6";

    private IpDetector() {
    }

    static final Detector IPV6 = (s, matches) -> {
        if (s.indexOf(':') < 0) {
            return;
        }
        int n = s.length();
        int i = 0;
        while (i < n) {
            char c = s.charAt(i);
            boolean startable = Chars.isHex(c) || (c == ':' && i + 1 < n && s.charAt(i + 1) == ':');
            if (!startable || (i > 0 && (Chars.isWord(s.charAt(i - 1)) || s.charAt(i - 1) == ':'
                    || s.charAt(i - 1) == '.'))) {
                i++;
                continue;
            }
            int end = i;
            while (end < n && (Chars.isHex(s.charAt(end)) || s.charAt(end) == ':' || s.charAt(end) == '.')) {
                end++;
            }
            int runEnd = end;
            // a sentence's full stop or colon after the address is not part of it
            while (end > i && s.charAt(end - 1) == '.') {
                end--;
            }
            if (end - i >= 2 && s.charAt(end - 1) == ':' && s.charAt(end - 2) != ':') {
                end--;
            }
            boolean boundary = runEnd == n || !Chars.isWord(s.charAt(runEnd));
            if (boundary && validV6(s, i, end) && matches.claim(i, end, V6)) {
                i = runEnd;
            } else {
                i = Math.max(runEnd, i + 1);
            }
        }
    };

    static final Detector IPV4 = new AnchoredDetector(V4, AnchoredDetector.DIGITS, '.') {
        @Override
        int matchAt(String s, int i) {
            return Chars.isDigit(s.charAt(i)) && v4MayStart(s, i) ? v4(s, i) : -1;
        }
    };

    private static boolean v4MayStart(String s, int i) {
        if (i == 0) {
            return true;
        }
        char p = s.charAt(i - 1);
        return !Chars.isWord(p) && !(p == '.' && i >= 2 && Character.isLetterOrDigit(s.charAt(i - 2)));
    }

    /** End of the dotted quad at {@code start}, or -1. */
    static int v4(String s, int start) {
        int at = start;
        for (int octet = 0; octet < 4; octet++) {
            if (octet > 0) {
                if (at >= s.length() || s.charAt(at) != '.') {
                    return -1;
                }
                at++;
            }
            int end = Chars.digitsEnd(s, at);
            int length = end - at;
            if (length == 0 || length > 3 || (length > 1 && s.charAt(at) == '0')
                    || Integer.parseInt(s, at, end, 10) > 255) {
                return -1;
            }
            at = end;
        }
        if (at < s.length()) {
            char c = s.charAt(at);
            if (Chars.isWord(c) || (c == '.' && at + 1 < s.length() && Character.isLetterOrDigit(s.charAt(at + 1)))) {
                return -1;
            }
        }
        return at;
    }

    private static boolean validV6(String s, int start, int end) {
        int groups = 0;
        boolean compressed = false;
        boolean decimal = false;
        int at = start;
        if (end - start >= 2 && s.charAt(at) == ':' && s.charAt(at + 1) == ':') {
            compressed = true;
            at += 2;
        }
        while (at < end) {
            int groupEnd = at;
            while (groupEnd < end && Chars.isHex(s.charAt(groupEnd))) {
                decimal |= Chars.isDigit(s.charAt(groupEnd));
                groupEnd++;
            }
            if (groupEnd < end && s.charAt(groupEnd) == '.') {
                // the last 32 bits as a dotted quad
                if (v4(s, at) != end) {
                    return false;
                }
                groups += 2;
                decimal = true;
                break;
            }
            int length = groupEnd - at;
            if (length == 0 || length > 4) {
                return false;
            }
            groups++;
            at = groupEnd;
            if (at == end) {
                break;
            }
            // at is ':'
            if (at + 1 < end && s.charAt(at + 1) == ':') {
                if (compressed) {
                    return false;
                }
                compressed = true;
                at += 2;
            } else {
                at++;
                if (at == end) {
                    return false;
                }
            }
        }
        if (!decimal || groups == 0) {
            return false;
        }
        return compressed ? groups <= 7 : groups == 8;
    }
}
