package io.mcpobservatory.privacy;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;
import java.io.StringWriter;
import java.io.UncheckedIOException;
import java.lang.reflect.Array;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * Masks personal data and secrets in what the agent stores: free text (error messages), JSON text (tool arguments and
 * results) and the Java maps and lists the SDK hands over. Every value found becomes {@code [REDACTED:<kind>]}; see
 * the README's Privacy section for the kinds and their rules.
 *
 * <p>Work is bounded: the detectors are linear scanners, each call scans at most {@code max-chars} characters (the rest
 * is cut and replaced by {@code [TRUNCATED:<n> chars]}), and JSON is walked without recursion. Immutable and
 * thread-safe; meant for the drainer thread.
 */
public final class Masker {

    /** Kind of a value replaced because of its key, in JSON or in text ({@code password=...}). */
    public static final String KEY = KeyValueDetector.KIND;
    /** Kind of a Java structure nested deeper than {@link #MAX_DEPTH}, replaced whole. */
    public static final String DEPTH = "depth";
    /** Java maps and lists deeper than this are replaced by a marker (a cycle ends here too). */
    public static final int MAX_DEPTH = 256;
    /** How far past the cut the text is still scanned, so that a value straddling the cut is masked whole. */
    static final int LOOKAHEAD = 1024;

    private final SensitiveKeys keys;
    private final List<Detector> detectors;
    private final int maxChars;
    private final JsonFactory json;

    private Masker(PrivacyConfig config) {
        this.keys = new SensitiveKeys(config.sensitiveKeys);
        this.maxChars = config.maxChars;
        List<Detector> list = new ArrayList<>();
        // In priority order: a region claimed by one is not looked at by the later ones. A user's patterns first (they
        // say what the user cares about), keys before the shapes their values have, cards before phones.
        config.patterns.forEach((name, pattern) -> list.add(new PatternDetector(name, pattern)));
        list.add(new KeyValueDetector(keys));
        list.add(new BearerDetector());
        list.add(new JwtDetector());
        list.add(new ApiKeyDetector());
        list.add(new EmailDetector());
        list.add(new IbanDetector());
        list.add(new CardDetector());
        list.add(new SsnDetector());
        list.add(IpDetector.IPV6);
        list.add(IpDetector.IPV4);
        list.add(new PhoneDetector());
        this.detectors = List.copyOf(list);
        this.json = JsonFactory.builder().disable(com.fasterxml.jackson.core.StreamWriteFeature.AUTO_CLOSE_CONTENT).build();
    }

    public static Masker create(PrivacyConfig config) {
        return new Masker(config);
    }

    /** The marker that replaces a value of {@code kind}. */
    public static String marker(String kind) {
        return "[REDACTED:" + kind + "]";
    }

    static String cutMarker(long chars) {
        return "[TRUNCATED:" + chars + " chars]";
    }

    /** Free text, such as an error message. */
    public String maskText(String text) {
        return maskText(text, new MaskCounts());
    }

    public String maskText(String text, MaskCounts counts) {
        return text == null ? null : maskText(text, new Budget(maxChars), counts);
    }

    /**
     * JSON text: the values of sensitive keys are replaced whole (whatever their type; {@code null} stays), and every
     * other string, number and key is scanned by the detectors. Written back compactly. A number with something masked
     * becomes a string. Text that is not JSON (or is cut short, or nested deeper than 1,000 levels) is masked as JSON as
     * far as it parses and as free text from there.
     */
    public String maskJson(String text) {
        return maskJson(text, new MaskCounts());
    }

    public String maskJson(String text, MaskCounts counts) {
        return text == null ? null : maskJson(text, new Budget(maxChars), counts);
    }

    /**
     * A Java value as the SDK hands it over: maps (keys as strings), lists, arrays and other iterables become
     * {@link LinkedHashMap}s and {@link ArrayList}s with masked contents; strings are masked; numbers and booleans stay
     * unless something is masked in their text (then a string); anything else becomes its masked {@code toString()}.
     */
    public Object mask(Object value) {
        return mask(value, new MaskCounts());
    }

    public Object mask(Object value, MaskCounts counts) {
        return mask(value, new Budget(maxChars), counts, 0);
    }

    private String maskText(String text, Budget budget, MaskCounts counts) {
        if (text.isEmpty()) {
            return text;
        }
        int limit = budget.take(text.length());
        if (limit == 0) {
            counts.notScanned(text.length());
            return cutMarker(text.length());
        }
        String scanned = limit < text.length() ? text.substring(0, Math.min(text.length(), limit + LOOKAHEAD)) : text;
        Matches matches = new Matches();
        for (Detector detector : detectors) {
            detector.scan(scanned, matches);
        }
        String masked = matches.isEmpty() && limit == text.length() ? text : matches.apply(scanned, limit, counts);
        if (limit < text.length()) {
            counts.notScanned(text.length() - limit);
            masked += cutMarker(text.length() - limit);
        }
        return masked;
    }

    private String maskJson(String text, Budget budget, MaskCounts counts) {
        StringWriter out = new StringWriter(text.length() + 16);
        int consumed = 0;
        boolean sensitiveValueNext = false;
        boolean afterName = false;
        try (JsonParser parser = json.createParser(text); JsonGenerator generator = json.createGenerator(out)) {
            try {
                JsonToken token;
                while ((token = parser.nextToken()) != null) {
                    if (budget.left() == 0) {
                        break;
                    }
                    switch (token) {
                        case FIELD_NAME -> {
                            String name = parser.currentName();
                            generator.writeFieldName(maskText(name, budget, counts));
                            afterName = !keys.matches(name);
                            if (!afterName) {
                                sensitiveValueNext = true;
                                if (parser.nextToken() == JsonToken.VALUE_NULL) {
                                    generator.writeNull();
                                } else {
                                    parser.skipChildren();
                                    // a string is read lazily: read it to its end now, so that a cut one fails here
                                    parser.finishToken();
                                    generator.writeString(marker(KEY));
                                    counts.add(KEY);
                                }
                                sensitiveValueNext = false;
                            }
                        }
                        case VALUE_STRING -> generator.writeString(maskText(parser.getText(), budget, counts));
                        case VALUE_NUMBER_INT, VALUE_NUMBER_FLOAT -> {
                            String number = parser.getText();
                            String masked = maskText(number, budget, counts);
                            if (masked.equals(number)) {
                                generator.writeNumber(number);
                            } else {
                                generator.writeString(masked);
                            }
                        }
                        case START_OBJECT -> generator.writeStartObject();
                        case END_OBJECT -> generator.writeEndObject();
                        case START_ARRAY -> generator.writeStartArray();
                        case END_ARRAY -> generator.writeEndArray();
                        case VALUE_TRUE -> generator.writeBoolean(true);
                        case VALUE_FALSE -> generator.writeBoolean(false);
                        case VALUE_NULL -> generator.writeNull();
                        default -> generator.writeString(maskText(parser.getText(), budget, counts));
                    }
                    if (token != JsonToken.FIELD_NAME) {
                        afterName = false;
                    }
                    consumed = (int) parser.currentLocation().getCharOffset();
                }
                generator.flush();
                if (consumed < text.length() && budget.left() == 0 && !text.substring(consumed).isBlank()) {
                    counts.notScanned(text.length() - consumed);
                    out.append(cutMarker(text.length() - consumed));
                }
            } catch (IOException notJson) {
                // masked as JSON up to the last whole token; the rest as text (a cut string, a cut structure)
                if (sensitiveValueNext) {
                    generator.writeRawValue(marker(KEY)); // after the key's ':'
                    generator.flush();
                    counts.add(KEY);
                } else {
                    if (afterName) {
                        generator.writeRawValue(""); // the key's ':', its value follows as text
                    }
                    generator.flush();
                    // from the start of the token that failed: Jackson reads a key and the start of its value together
                    int rest = (int) Math.min(text.length(), parser.currentTokenLocation().getCharOffset());
                    appendRest(text, Math.max(0, rest), out, budget, counts);
                }
            }
        } catch (IOException e) {
            throw new UncheckedIOException(e); // a StringWriter does not throw
        }
        return out.toString();
    }

    /**
     * What follows the last whole token of JSON that failed to parse. A string cut short (the usual case: a text content
     * block cut at the capture limit, holding JSON of its own, escaped) is decoded before it is masked and encoded again,
     * so that {@code \"password\":\"x\"} and {@code \u0040} are seen as what they are; the rest is masked as text.
     */
    private void appendRest(String text, int from, StringWriter out, Budget budget, MaskCounts counts) {
        if (from < text.length() && text.charAt(from) == '"') {
            StringBuilder decoded = new StringBuilder();
            int end = JsonStrings.decode(text, from + 1, decoded);
            out.append('"').append(JsonStrings.encode(maskText(decoded.toString(), budget, counts)));
            if (end < text.length()) {
                out.append('"');
                from = end + 1;
            } else {
                return;
            }
        }
        out.append(maskText(text.substring(from), budget, counts));
    }

    private Object mask(Object value, Budget budget, MaskCounts counts, int depth) {
        if (value == null || value instanceof Boolean) {
            return value;
        }
        if (value instanceof Number) {
            String number = value.toString();
            String masked = maskText(number, budget, counts);
            return masked.equals(number) ? value : masked;
        }
        if (value instanceof CharSequence) {
            return maskText(value.toString(), budget, counts);
        }
        boolean structure = value instanceof Map || value instanceof Iterable || value.getClass().isArray();
        if (structure && depth >= MAX_DEPTH) {
            counts.add(DEPTH);
            return marker(DEPTH);
        }
        if (value instanceof Map<?, ?> map) {
            Map<String, Object> masked = new LinkedHashMap<>();
            for (Map.Entry<?, ?> entry : map.entrySet()) {
                String key = String.valueOf(entry.getKey());
                Object item = entry.getValue();
                if (keys.matches(key) && item != null) {
                    counts.add(KEY);
                    item = marker(KEY);
                } else {
                    item = mask(item, budget, counts, depth + 1);
                }
                masked.put(maskText(key, budget, counts), item);
            }
            return masked;
        }
        if (value instanceof Iterable<?> iterable) {
            List<Object> masked = new ArrayList<>();
            for (Object item : iterable) {
                masked.add(mask(item, budget, counts, depth + 1));
            }
            return masked;
        }
        if (value.getClass().isArray()) {
            int length = Array.getLength(value);
            List<Object> masked = new ArrayList<>(length);
            for (int i = 0; i < length; i++) {
                masked.add(mask(Array.get(value, i), budget, counts, depth + 1));
            }
            return masked;
        }
        return maskText(String.valueOf(value), budget, counts);
    }

    /** Characters one call may still scan. */
    private static final class Budget {
        private int left;

        Budget(int chars) {
            this.left = chars;
        }

        int left() {
            return left;
        }

        /** Takes up to {@code wanted} characters; returns how many may be scanned. */
        int take(int wanted) {
            int granted = Math.min(wanted, left);
            left -= granted;
            return granted;
        }
    }
}
