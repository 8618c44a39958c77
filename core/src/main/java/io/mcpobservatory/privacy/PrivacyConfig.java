package io.mcpobservatory.privacy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;
import java.util.regex.Pattern;
import java.util.regex.PatternSyntaxException;

/**
 * The masking settings, built from the agent's properties:
 *
 * <ul>
 *   <li>{@code observatory.privacy.sensitive-keys}: comma-separated key names added to the default list
 *   ({@link SensitiveKeys#DEFAULTS}); an entry {@code -defaults} in the list drops the default list, so
 *   {@code -defaults,pin,otp} masks exactly {@code pin} and {@code otp} keys;</li>
 *   <li>{@code observatory.privacy.patterns.<name>=<regex>}: extra detectors, each match masked as
 *   {@code [REDACTED:<name>]} ({@code <name>}: letters, digits, {@code _ -});</li>
 *   <li>{@code observatory.privacy.max-chars}: the most characters scanned per call (default 100000); beyond it the
 *   text is cut and marked.</li>
 * </ul>
 *
 * A bad value is a warning in {@link #warnings()} and the default is used (the application always starts).
 */
public final class PrivacyConfig {

    public static final String SENSITIVE_KEYS = "observatory.privacy.sensitive-keys";
    public static final String PATTERNS_PREFIX = "observatory.privacy.patterns.";
    public static final String MAX_CHARS = "observatory.privacy.max-chars";
    public static final int DEFAULT_MAX_CHARS = 100_000;
    /** In {@link #SENSITIVE_KEYS}: do not use the default key names. */
    public static final String NO_DEFAULTS = "-defaults";

    private static final Pattern NAME = Pattern.compile("[A-Za-z0-9_-]+");

    final List<String> sensitiveKeys;
    final Map<String, Pattern> patterns;
    final int maxChars;
    private final List<String> warnings;

    private PrivacyConfig(List<String> sensitiveKeys, Map<String, Pattern> patterns, int maxChars,
            List<String> warnings) {
        this.sensitiveKeys = List.copyOf(sensitiveKeys);
        this.patterns = Collections.unmodifiableMap(new LinkedHashMap<>(patterns));
        this.maxChars = maxChars;
        this.warnings = List.copyOf(warnings);
    }

    /** The defaults: default key names, no extra pattern, {@value #DEFAULT_MAX_CHARS} characters. */
    public static PrivacyConfig defaults() {
        return from(Map.of());
    }

    public static PrivacyConfig from(Properties properties) {
        Map<String, String> map = new TreeMap<>();
        for (String name : properties.stringPropertyNames()) {
            map.put(name, properties.getProperty(name));
        }
        return from(map);
    }

    /** From the settings (other keys are ignored). Patterns are taken in the order of their names. */
    public static PrivacyConfig from(Map<String, String> settings) {
        List<String> warnings = new ArrayList<>();
        List<String> keys = new ArrayList<>(SensitiveKeys.DEFAULTS);
        String listed = settings.get(SENSITIVE_KEYS);
        if (listed != null && !listed.isBlank()) {
            for (String entry : listed.split(",")) {
                String key = entry.trim();
                if (key.equals(NO_DEFAULTS)) {
                    keys.removeAll(SensitiveKeys.DEFAULTS);
                } else if (!SensitiveKeys.normalise(key).isEmpty()) {
                    keys.add(key);
                } else if (!key.isEmpty()) {
                    warnings.add(SENSITIVE_KEYS + ": '" + key + "' has no letter or digit; ignored");
                }
            }
        }
        Map<String, Pattern> patterns = new LinkedHashMap<>();
        for (Map.Entry<String, String> entry : new TreeMap<>(settings).entrySet()) {
            if (!entry.getKey().startsWith(PATTERNS_PREFIX) || entry.getValue() == null || entry.getValue().isEmpty()) {
                continue;
            }
            String name = entry.getKey().substring(PATTERNS_PREFIX.length());
            if (!NAME.matcher(name).matches()) {
                warnings.add(entry.getKey() + ": the pattern's name may only have letters, digits, _ and -; ignored");
                continue;
            }
            try {
                patterns.put(name, Pattern.compile(entry.getValue()));
            } catch (PatternSyntaxException e) {
                warnings.add(entry.getKey() + "='" + entry.getValue() + "' is not a regular expression ("
                        + e.getDescription() + "); ignored");
            }
        }
        int maxChars = DEFAULT_MAX_CHARS;
        String max = settings.get(MAX_CHARS);
        if (max != null && !max.isBlank()) {
            try {
                maxChars = Integer.parseInt(max.trim());
                if (maxChars < 1) {
                    throw new NumberFormatException();
                }
            } catch (NumberFormatException e) {
                maxChars = DEFAULT_MAX_CHARS;
                warnings.add(MAX_CHARS + "='" + max + "' is not a whole number >= 1; using " + DEFAULT_MAX_CHARS);
            }
        }
        return new PrivacyConfig(keys, patterns, maxChars, warnings);
    }

    /** The same settings with another {@code max-chars} (tests, benchmarks, a caller with its own cap). */
    public PrivacyConfig withMaxChars(int maxChars) {
        return new PrivacyConfig(sensitiveKeys, patterns, Math.max(1, maxChars), warnings);
    }

    public List<String> warnings() {
        return warnings;
    }

    public int maxChars() {
        return maxChars;
    }
}
