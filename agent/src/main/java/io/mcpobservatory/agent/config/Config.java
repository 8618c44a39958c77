package io.mcpobservatory.agent.config;

import io.mcpobservatory.privacy.IdHasher;
import io.mcpobservatory.privacy.PrivacyConfig;
import io.mcpobservatory.tokens.PriceTable;
import java.io.IOException;
import java.io.Reader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.Paths;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.Iterator;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.TreeMap;

/**
 * The agent's configuration, resolved once at start. Precedence: settings in the agent argument ({@link AgentArgument};
 * what {@code attach --set} sends) &gt; system properties {@code observatory.*} &gt; environment variables
 * {@code OBSERVATORY_*} &gt; the properties file &gt; defaults. The argument ranks first because it is the most specific
 * request: the one made for this agent, possibly long after the JVM's command line was written. Nothing here throws on
 * bad input: an unknown key or a bad value adds one warning naming the key, the value and what is used instead, and the
 * application starts.
 */
public final class Config {

    private static final String PREFIX = "observatory.";
    private static final String ENV_PREFIX = "OBSERVATORY_";
    /**
     * The families of dynamic keys, which the environment cannot carry (model names and alert expressions do not survive
     * its naming rules): the environment prefix, what the family is, and the key to set instead.
     */
    private static final String[][] DYNAMIC_FAMILIES = {
        {ConfigKey.envName(ConfigKey.PRICING_PREFIX), "per-model prices", "model names",
            ConfigKey.PRICING_PREFIX + "<model>" + ConfigKey.PRICING_INPUT_SUFFIX},
        {ConfigKey.envName(ConfigKey.ALERT_PREFIX), "alert rules", "rule names and expressions",
            ConfigKey.ALERT_PREFIX + "<name>.expr"}};

    private final Map<ConfigKey, String> raw = new EnumMap<>(ConfigKey.class);
    private final Map<ConfigKey, String> sources = new EnumMap<>(ConfigKey.class);
    private final List<String> warnings = new ArrayList<>();
    /** The dynamic {@code observatory.pricing.<model>.*-per-mtok} keys, by name: their value and where it came from. */
    private final Map<String, String[]> pricing = new LinkedHashMap<>();
    /** The dynamic {@code observatory.alert.<name>.<setting>} keys, by name: their value and where it came from. */
    private final Map<String, String[]> alerts = new LinkedHashMap<>();
    /** The dynamic {@code observatory.privacy.patterns.<name>} keys: their value. */
    private final Map<String, String> privacyPatterns = new TreeMap<>();

    private Config() {
    }

    /**
     * Resolves the configuration of this JVM: {@code agentArgument} is the {@code -javaagent:jar=...} text or the one
     * attach passed (a file path or a list of settings, see {@link AgentArgument}), or null.
     */
    public static Config load(String agentArgument) {
        return load(agentArgument, System.getProperties(), System.getenv());
    }

    public static Config load(String agentArgument, Properties systemProperties, Map<String, String> environment) {
        Config config = new Config();
        AgentArgument argument = AgentArgument.parse(agentArgument);
        String file = firstNonBlank(argument.file, systemProperties.getProperty(ConfigKey.CONFIG.key),
                environment.get(ConfigKey.CONFIG.envName()));
        if (file != null) {
            config.readFile(Paths.get(file.trim()));
        }
        config.readEnvironment(environment);
        config.readSystemProperties(systemProperties);
        for (String entry : argument.malformed) {
            config.warnings.add("agent argument entry '" + entry + "' is not key=value; ignored");
        }
        for (Map.Entry<String, String> setting : argument.settings.entrySet()) {
            config.put(setting.getKey(), setting.getValue(), "agent argument");
        }
        config.readOtelAliases(systemProperties, environment);
        return config;
    }

    /**
     * The OpenTelemetry agent's names of a few settings ({@link ConfigKey#otelAlias}), as a system property or in the
     * environment, for a key set nowhere under its own name: ours win, so two agents in one JVM can be told apart.
     */
    private void readOtelAliases(Properties systemProperties, Map<String, String> environment) {
        for (ConfigKey key : ConfigKey.values()) {
            if (key.otelAlias == null || raw.containsKey(key)) {
                continue;
            }
            String env = ConfigKey.envName(key.otelAlias);
            String property = systemProperties.getProperty(key.otelAlias);
            if (property != null) {
                raw.put(key, property.trim());
                sources.put(key, "system property " + key.otelAlias);
            } else if (environment.get(env) != null) {
                raw.put(key, environment.get(env).trim());
                sources.put(key, "environment " + env);
            }
        }
    }

    private void readFile(Path path) {
        Properties properties = new Properties();
        try (Reader reader = Files.newBufferedReader(path, StandardCharsets.UTF_8)) {
            properties.load(reader);
        } catch (IOException | RuntimeException e) {
            warnings.add("configuration file " + path.toAbsolutePath() + " could not be read (" + e
                    + "); using system properties, environment and defaults");
            return;
        }
        String source = "file " + path;
        for (String name : properties.stringPropertyNames()) {
            put(name, properties.getProperty(name), source);
        }
    }

    private void readEnvironment(Map<String, String> environment) {
        for (Map.Entry<String, String> entry : environment.entrySet()) {
            String name = entry.getKey();
            if (!name.startsWith(ENV_PREFIX)) {
                continue;
            }
            ConfigKey key = null;
            for (ConfigKey candidate : ConfigKey.values()) {
                if (candidate.envName().equals(name)) {
                    key = candidate;
                    break;
                }
            }
            String[] family = key == null ? dynamicFamily(name) : null;
            if (family != null) {
                warnings.add("environment variable " + name + ": " + family[1] + " cannot be set from the environment "
                        + "(" + family[2] + " do not survive its naming rules); set " + family[3]
                        + " in the properties file or as a system property; ignored");
            } else if (key == null) {
                warnings.add("environment variable " + name + " is not a known setting; ignored");
            } else if (key != ConfigKey.CONFIG) {
                raw.put(key, entry.getValue());
                sources.put(key, "environment " + name);
            }
        }
    }

    private static String[] dynamicFamily(String environmentName) {
        for (String[] family : DYNAMIC_FAMILIES) {
            if (environmentName.startsWith(family[0])) {
                return family;
            }
        }
        return null;
    }

    private void readSystemProperties(Properties systemProperties) {
        for (String name : systemProperties.stringPropertyNames()) {
            if (name.startsWith(PREFIX)) {
                put(name, systemProperties.getProperty(name), "system property");
            }
        }
    }

    private void put(String name, String value, String source) {
        ConfigKey key = ConfigKey.byName(name.trim());
        if (key == null && isPricingKey(name.trim())) {
            pricing.put(name.trim(), new String[] {value == null ? null : value.trim(), source});
        } else if (key == null && name.trim().startsWith(ConfigKey.ALERT_PREFIX)) {
            alerts.put(name.trim(), new String[] {value == null ? null : value.trim(), source});
        } else if (key == null && name.trim().startsWith(ConfigKey.PRIVACY_PATTERNS_PREFIX)) {
            privacyPatterns.put(name.trim(), value == null ? null : value.trim());
        } else if (key == null) {
            warnings.add(name + " (" + source + ") is not a known setting; ignored");
        } else if (key != ConfigKey.CONFIG) {
            raw.put(key, value == null ? null : value.trim());
            sources.put(key, source);
        }
    }

    /** Warnings collected while loading and reading values, each said once. */
    public List<String> warnings() {
        return warnings;
    }

    public String string(ConfigKey key) {
        String value = raw.get(key);
        return value == null || value.isEmpty() ? key.defaultValue : value;
    }

    public boolean isSet(ConfigKey key) {
        String value = raw.get(key);
        return value != null && !value.isEmpty();
    }

    public boolean bool(ConfigKey key) {
        String value = string(key);
        if ("true".equalsIgnoreCase(value)) {
            return true;
        }
        if ("false".equalsIgnoreCase(value)) {
            return false;
        }
        return invalid(key, "is not true or false", Boolean.parseBoolean(key.defaultValue));
    }

    /** A whole number within [min, max]. */
    public int integer(ConfigKey key, int min, int max) {
        return number(key, Integer::valueOf, min, max, "a whole number");
    }

    /** A number within [min, max]. */
    public double decimal(ConfigKey key, double min, double max) {
        return number(key, Double::valueOf, min, max, "a number");
    }

    private <T extends Comparable<T>> T number(ConfigKey key, java.util.function.Function<String, T> parse, T min,
                                               T max, String kind) {
        T used = parse.apply(key.defaultValue);
        T parsed;
        try {
            parsed = parse.apply(string(key));
        } catch (NumberFormatException e) {
            return invalid(key, "is not " + kind, used);
        }
        // NaN compares above every number: outside
        return parsed.compareTo(min) >= 0 && parsed.compareTo(max) <= 0 ? parsed
                : invalid(key, "is outside " + min + ".." + max, used);
    }

    /**
     * The {@code observatory.alert.<name>.<setting>} keys set, by key: {value, where it came from} (the highest source
     * of each key); {@link AlertSettings} makes the rules of them.
     */
    Map<String, String[]> alertKeys() {
        return alerts;
    }

    /** A TCP port (0..65535, 0: any free port), or null when the key is not set or its value is bad (one warning). */
    public Integer port(ConfigKey key, String whenOff) {
        if (!isSet(key)) {
            return null;
        }
        String value = string(key);
        try {
            int port = Integer.parseInt(value);
            if (port >= 0 && port <= 65535) {
                return port;
            }
        } catch (NumberFormatException e) {
            // below
        }
        return invalid(key, "is not a port (0..65535)", null, whenOff);
    }

    /** A duration in milliseconds: {@code 250ms}, {@code 5s}, {@code 2m}, or a bare number of milliseconds. */
    public long millis(ConfigKey key, long min, long max) {
        Long parsed = parseMillis(string(key));
        if (parsed != null && parsed >= min && parsed <= max) {
            return parsed;
        }
        String problem = parsed == null ? "is not a duration (e.g. 500ms, 5s, 2m)" : "is outside " + min + ".." + max + " ms";
        return invalid(key, problem, parseMillis(key.defaultValue));
    }

    /** A size in bytes: {@code 512KB}, {@code 100MB}, {@code 1GB}, or a bare number of bytes. */
    public long bytes(ConfigKey key, long min, long max) {
        Long parsed = parseBytes(string(key));
        if (parsed != null && parsed >= min && parsed <= max) {
            return parsed;
        }
        String problem = parsed == null ? "is not a size (e.g. 512KB, 100MB)" : "is outside " + min + ".." + max + " bytes";
        return invalid(key, problem, parseBytes(key.defaultValue));
    }

    /** One of {@code allowed} (case-insensitive), else {@code fallback}. */
    public String choice(ConfigKey key, String fallback, String... allowed) {
        String value = string(key);
        if (value == null) {
            return fallback;
        }
        for (String option : allowed) {
            if (option.equalsIgnoreCase(value)) {
                return option;
            }
        }
        return invalid(key, "is not one of " + String.join(", ", allowed), fallback);
    }

    /**
     * The per-model prices of the {@code observatory.pricing.<model>.input-per-mtok} and {@code .output-per-mtok} keys,
     * by model; a side not set is null. A value that is not a number &gt;= 0 is one warning, and that side keeps the
     * price table's price.
     */
    public Map<String, PriceTable.Price> priceOverrides() {
        Map<String, Double[]> sides = new TreeMap<>();
        for (Iterator<Map.Entry<String, String[]>> entries = pricing.entrySet().iterator(); entries.hasNext(); ) {
            Map.Entry<String, String[]> entry = entries.next();
            String name = entry.getKey();
            String value = entry.getValue()[0];
            if (value == null || value.isEmpty()) {
                continue; // like every other key: empty is not set
            }
            boolean input = name.endsWith(ConfigKey.PRICING_INPUT_SUFFIX);
            String suffix = input ? ConfigKey.PRICING_INPUT_SUFFIX : ConfigKey.PRICING_OUTPUT_SUFFIX;
            String model = name.substring(ConfigKey.PRICING_PREFIX.length(), name.length() - suffix.length());
            Double usd = parsePrice(value);
            if (usd == null) {
                warnings.add(name + "='" + value + "' (" + entry.getValue()[1] + ") is not a number >= 0 (USD per "
                        + "million tokens); using the price table's price for " + model + ", if it has one");
                entries.remove(); // one warning per key, however often it is read
                continue;
            }
            sides.computeIfAbsent(model, m -> new Double[2])[input ? 0 : 1] = usd;
        }
        Map<String, PriceTable.Price> prices = new LinkedHashMap<>();
        sides.forEach((model, price) -> prices.put(model, new PriceTable.Price(price[0], price[1])));
        return prices;
    }

    /**
     * The masking settings ({@code observatory.privacy.*}); a bad value is a warning here and its default is used. The
     * content-capture code builds its {@code Masker} from this.
     */
    public PrivacyConfig privacy() {
        Map<String, String> settings = new TreeMap<>(privacyPatterns);
        if (isSet(ConfigKey.PRIVACY_SENSITIVE_KEYS)) {
            settings.put(PrivacyConfig.SENSITIVE_KEYS, string(ConfigKey.PRIVACY_SENSITIVE_KEYS));
        }
        settings.put(PrivacyConfig.MAX_CHARS, string(ConfigKey.PRIVACY_MAX_CHARS));
        PrivacyConfig privacy = PrivacyConfig.from(settings);
        for (String warning : privacy.warnings()) {
            if (!warnings.contains(warning)) {
                warnings.add(warning);
            }
        }
        return privacy;
    }

    /** The id hasher {@code observatory.privacy.hash-ids} asks for, or null (off, the default). */
    public IdHasher idHasher() {
        Map<String, String> settings = new TreeMap<>();
        settings.put(IdHasher.HASH_IDS, String.valueOf(bool(ConfigKey.PRIVACY_HASH_IDS)));
        if (isSet(ConfigKey.PRIVACY_SALT)) {
            settings.put(IdHasher.SALT, string(ConfigKey.PRIVACY_SALT));
        }
        return IdHasher.from(settings);
    }

    /** {@code observatory.pricing.<model>.input-per-mtok} or {@code .output-per-mtok}, with a model name. */
    static boolean isPricingKey(String name) {
        if (!name.startsWith(ConfigKey.PRICING_PREFIX)) {
            return false;
        }
        int modelLength = name.length() - ConfigKey.PRICING_PREFIX.length();
        return (name.endsWith(ConfigKey.PRICING_INPUT_SUFFIX) && modelLength > ConfigKey.PRICING_INPUT_SUFFIX.length())
                || (name.endsWith(ConfigKey.PRICING_OUTPUT_SUFFIX)
                && modelLength > ConfigKey.PRICING_OUTPUT_SUFFIX.length());
    }

    static Double parsePrice(String text) {
        try {
            double usd = Double.parseDouble(text.trim());
            return Double.isFinite(usd) && usd >= 0 ? usd : null;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private <T> T invalid(ConfigKey key, String problem, T used) {
        return invalid(key, problem, used, "using " + used);
    }

    /** Where a set key's value came from ({@code system property}, {@code file ...}, {@code environment ...}). */
    String source(ConfigKey key) {
        return sources.get(key);
    }

    /**
     * A value checked outside this class (an OTLP URL, a protocol) that cannot be used: the same one warning the typed
     * getters give, naming the value and where it came from; later reads get the default.
     */
    void rejected(ConfigKey key, String problem, String used) {
        invalid(key, problem, used);
    }

    private <T> T invalid(ConfigKey key, String problem, T used, String whatHappens) {
        warnings.add(key.key + "='" + raw.get(key) + "' (" + sources.get(key) + ") " + problem + "; " + whatHappens);
        raw.remove(key); // one warning per key, however often it is read
        return used;
    }

    static Long parseMillis(String text) {
        return parseScaled(text, new String[] {"ms", "s", "m", "h"}, new long[] {1, 1_000, 60_000, 3_600_000});
    }

    static Long parseBytes(String text) {
        return parseScaled(text, new String[] {"b", "kb", "mb", "gb"}, new long[] {1, 1L << 10, 1L << 20, 1L << 30});
    }

    private static Long parseScaled(String text, String[] units, long[] factors) {
        if (text == null) {
            return null;
        }
        String value = text.trim().toLowerCase(Locale.ROOT);
        long factor = 1;
        // longest unit first, so "ms" is not read as "s"
        int matched = -1;
        for (int i = 0; i < units.length; i++) {
            if (value.endsWith(units[i]) && (matched < 0 || units[i].length() > units[matched].length())) {
                matched = i;
            }
        }
        if (matched >= 0) {
            factor = factors[matched];
            value = value.substring(0, value.length() - units[matched].length()).trim();
        }
        try {
            long number = Long.parseLong(value);
            return number < 0 || number > Long.MAX_VALUE / factor ? null : number * factor;
        } catch (NumberFormatException e) {
            return null;
        }
    }

    private static String firstNonBlank(String... values) {
        for (String value : values) {
            if (value != null && !value.isBlank()) {
                return value;
            }
        }
        return null;
    }
}
