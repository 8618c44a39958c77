package io.mcpobservatory.privacy;

import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Locale;

/**
 * Names of keys whose values are secret whatever they look like. A key is compared in normalised form (lower case, only
 * letters and digits: {@code X-Api-Key}, {@code api_key} and {@code apiKey} are all {@code apikey}), and matches a term
 * when it equals the term or ends with it: {@code userPassword}, {@code db.password}, {@code github_token},
 * {@code X-Api-Key} match; {@code passwordPolicy}, {@code max_tokens}, {@code tokenCount} do not (a prefix or inner
 * match would hide counts and settings, and {@code ssn} is inside {@code classname}).
 */
final class SensitiveKeys {

    /** The default terms, already normalised. */
    static final List<String> DEFAULTS = List.of(
            "password", "passwd", "pwd", "passphrase", "secret", "token", "apikey", "authorization", "cookie",
            "credential", "credentials", "ssn", "socialsecuritynumber", "privatekey", "clientsecret", "accesstoken",
            "refreshtoken", "idtoken", "sessiontoken", "cvv", "cvc", "cardnumber", "creditcard", "pin");

    /** Keys whose unquoted value in free text runs to the end of the line (an HTTP header's value has spaces). */
    private static final List<String> LINE_VALUED = List.of("authorization", "cookie");

    private final String[] terms;

    SensitiveKeys(Collection<String> terms) {
        List<String> normalised = new ArrayList<>();
        for (String term : terms) {
            String key = normalise(term);
            if (!key.isEmpty() && !normalised.contains(key)) {
                normalised.add(key);
            }
        }
        this.terms = normalised.toArray(new String[0]);
    }

    /** Whether the normalised key ends with a term; compared from the end, without building the normalised key. */
    boolean matches(CharSequence key) {
        for (String term : terms) {
            if (endsWith(key, term)) {
                return true;
            }
        }
        return false;
    }

    private static boolean endsWith(CharSequence key, String term) {
        int at = key.length() - 1;
        for (int k = term.length() - 1; k >= 0; k--, at--) {
            while (at >= 0 && !Character.isLetterOrDigit(key.charAt(at))) {
                at--;
            }
            if (at < 0 || Character.toLowerCase(key.charAt(at)) != term.charAt(k)) {
                return false;
            }
        }
        return true;
    }

    /** Whether a free-text value of this (sensitive) key is everything up to the end of the line. */
    static boolean lineValued(CharSequence key) {
        for (String term : LINE_VALUED) {
            if (endsWith(key, term)) {
                return true;
            }
        }
        return false;
    }

    static String normalise(CharSequence key) {
        StringBuilder out = new StringBuilder(key.length());
        for (int i = 0; i < key.length(); i++) {
            char c = key.charAt(i);
            if (Character.isLetterOrDigit(c)) {
                out.append(Character.toLowerCase(c));
            }
        }
        return out.toString().toLowerCase(Locale.ROOT);
    }
}
