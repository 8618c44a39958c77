package io.mcpobservatory.privacy;

/**
 * API keys recognisable by their published prefixes, each at the start of a word (so {@code task-...} and
 * {@code risk-...} are not {@code sk-} keys):
 *
 * <ul>
 *   <li>OpenAI and Anthropic: {@code sk-} then at least 20 base64url characters with a digit among them (covers
 *   {@code sk-proj-}, {@code sk-ant-api03-}; random keys of that length have a digit, words like {@code sk-learn} do
 *   not); Stripe's {@code sk_live_}, {@code sk_test_}, {@code rk_live_}, {@code rk_test_} with at least 16;</li>
 *   <li>AWS access key ids: {@code AKIA} (long-term) or {@code ASIA} (temporary) and exactly 16 capitals or digits;</li>
 *   <li>GitHub: {@code ghp_ gho_ ghs_ ghu_ ghr_} and at least 30 letters or digits (36 today), {@code github_pat_} and
 *   at least 22;</li>
 *   <li>Slack: {@code xoxb- xoxp- xoxo- xoxa- xoxs-} and at least 10 letters, digits or dashes.</li>
 * </ul>
 */
final class ApiKeyDetector extends AnchoredDetector {

    static final String KIND = "api_key";

    private static final String[] GITHUB = {"ghp_", "gho_", "ghs_", "ghu_", "ghr_"};
    private static final String[] STRIPE = {"sk_live_", "sk_test_", "rk_live_", "rk_test_"};

    ApiKeyDetector() {
        super(KIND, "srAgx");
    }

    @Override
    int matchAt(String s, int i) {
        char c = s.charAt(i);
        if ((c != 's' && c != 'r' && c != 'A' && c != 'g' && c != 'x') || (i > 0 && Chars.isBase64Url(s.charAt(i - 1)))) {
            return -1;
        }
        if (s.startsWith("sk-", i)) {
            int end = run(s, i + 3, true);
            return end - i - 3 >= 20 && hasDigit(s, i + 3, end) ? end : -1;
        }
        for (String prefix : STRIPE) {
            if (s.startsWith(prefix, i)) {
                int end = run(s, i + prefix.length(), false);
                return end - i - prefix.length() >= 16 ? end : -1;
            }
        }
        if (s.startsWith("AKIA", i) || s.startsWith("ASIA", i)) {
            int end = i + 4;
            while (end < s.length() && (Chars.isUpper(s.charAt(end)) || Chars.isDigit(s.charAt(end)))) {
                end++;
            }
            boolean boundary = end == s.length() || !Chars.isWord(s.charAt(end));
            return end - i == 20 && boundary ? end : -1;
        }
        for (String prefix : GITHUB) {
            if (s.startsWith(prefix, i)) {
                int end = run(s, i + prefix.length(), false);
                return end - i - prefix.length() >= 30 ? end : -1;
            }
        }
        if (s.startsWith("github_pat_", i)) {
            int end = i + 11;
            while (end < s.length() && (Chars.isAsciiAlnum(s.charAt(end)) || s.charAt(end) == '_')) {
                end++;
            }
            return end - i - 11 >= 22 ? end : -1;
        }
        if (s.startsWith("xox", i) && i + 4 < s.length() && "bpoas".indexOf(s.charAt(i + 3)) >= 0
                && s.charAt(i + 4) == '-') {
            int end = i + 5;
            while (end < s.length() && (Chars.isAsciiAlnum(s.charAt(end)) || s.charAt(end) == '-')) {
                end++;
            }
            return end - i - 5 >= 10 ? end : -1;
        }
        return -1;
    }

    /** End of a run of letters and digits (and {@code - _} when {@code base64url}). */
    private static int run(String s, int at, boolean base64url) {
        while (at < s.length() && (base64url ? Chars.isBase64Url(s.charAt(at)) : Chars.isAsciiAlnum(s.charAt(at)))) {
            at++;
        }
        return at;
    }

    private static boolean hasDigit(String s, int from, int to) {
        for (int i = from; i < to; i++) {
            if (Chars.isDigit(s.charAt(i))) {
                return true;
            }
        }
        return false;
    }
}
