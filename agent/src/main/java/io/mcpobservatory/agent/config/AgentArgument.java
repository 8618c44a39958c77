package io.mcpobservatory.agent.config;

import java.io.ByteArrayOutputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The agent argument: the text after {@code =} in {@code -javaagent:agent.jar=TEXT}, or the one the {@code attach}
 * command passes. Two forms:
 * <ul>
 *   <li>the path of a properties file (what {@code -javaagent} always accepted);</li>
 *   <li>a list of settings {@code observatory.k1=v1,observatory.k2=v2} (the text starts with {@code observatory.} and
 *       has an {@code =}). {@code observatory.config} in the list names the properties file. Entries are split on
 *       {@code ,} and each at its first {@code =}, so a value may hold {@code =} as it is; a {@code ,} or a {@code %}
 *       in a key or value is written {@code %2C} / {@code %25} (percent-encoded UTF-8, as in URLs, but {@code +} is
 *       just a plus). A {@code %} not followed by two hex digits is kept as it is, so hand-written arguments rarely
 *       need any escaping.</li>
 * </ul>
 * Settings given here rank above system properties (see {@link Config}).
 */
public final class AgentArgument {

    private static final String LIST_PREFIX = "observatory.";

    /** The properties file, or null. */
    public final String file;
    /** Settings of the list form, in the order given; empty for a file path. */
    public final Map<String, String> settings;
    /** Entries of the list that are not {@code key=value}. */
    public final List<String> malformed;

    private AgentArgument(String file, Map<String, String> settings, List<String> malformed) {
        this.file = file;
        this.settings = Collections.unmodifiableMap(settings);
        this.malformed = Collections.unmodifiableList(malformed);
    }

    public static AgentArgument parse(String text) {
        if (text == null || text.isBlank()) {
            return new AgentArgument(null, new LinkedHashMap<>(), List.of());
        }
        String trimmed = text.trim();
        if (!trimmed.startsWith(LIST_PREFIX) || trimmed.indexOf('=') < 0) {
            return new AgentArgument(trimmed, new LinkedHashMap<>(), List.of());
        }
        Map<String, String> settings = new LinkedHashMap<>();
        List<String> malformed = new ArrayList<>();
        for (String entry : trimmed.split(",")) {
            if (entry.isBlank()) {
                continue;
            }
            int eq = entry.indexOf('=');
            if (eq <= 0) {
                malformed.add(decode(entry));
                continue;
            }
            settings.put(decode(entry.substring(0, eq)).trim(), decode(entry.substring(eq + 1)));
        }
        String file = settings.remove(ConfigKey.CONFIG.key);
        return new AgentArgument(file == null || file.isBlank() ? null : file.trim(), settings, malformed);
    }

    /**
     * The list form of {@code settings}. Besides {@code ,} and {@code %}, anything outside printable ASCII is
     * percent-encoded too, so the text crosses the attach protocol and the JVM's agent loader unchanged whatever their
     * character set.
     */
    public static String encode(Map<String, String> settings) {
        StringBuilder out = new StringBuilder();
        for (Map.Entry<String, String> entry : settings.entrySet()) {
            if (out.length() > 0) {
                out.append(',');
            }
            out.append(escape(entry.getKey())).append('=').append(escape(entry.getValue()));
        }
        return out.toString();
    }

    private static String escape(String text) {
        StringBuilder out = new StringBuilder();
        for (byte b : text.getBytes(StandardCharsets.UTF_8)) {
            int c = b & 0xff;
            if (c == '%' || c == ',' || c <= ' ' || c >= 0x7f) {
                out.append('%').append(Character.toUpperCase(Character.forDigit(c >> 4, 16)))
                        .append(Character.toUpperCase(Character.forDigit(c & 0xf, 16)));
            } else {
                out.append((char) c);
            }
        }
        return out.toString();
    }

    static String decode(String text) {
        if (text.indexOf('%') < 0) {
            return text;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            int high = i + 2 < text.length() ? Character.digit(text.charAt(i + 1), 16) : -1;
            int low = high >= 0 ? Character.digit(text.charAt(i + 2), 16) : -1;
            if (c == '%' && low >= 0) {
                bytes.write(high << 4 | low);
                i += 2;
            } else {
                byte[] raw = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < text.length()) {
                    raw = text.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.write(raw, 0, raw.length);
            }
        }
        return bytes.toString(StandardCharsets.UTF_8);
    }
}
