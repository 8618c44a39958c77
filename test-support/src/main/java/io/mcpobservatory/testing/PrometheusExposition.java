package io.mcpobservatory.testing;

import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Predicate;

/**
 * A strict reader of the Prometheus text exposition format 0.0.4, written for the tests from the format's description
 * (not from the agent's writer): {@code # HELP}/{@code # TYPE} lines, samples {@code name{label="value",...} value
 * [timestamp]} with the escapes {@code \\}, {@code \"} and {@code \n} in label values. A line it cannot read, a sample
 * outside the family its {@code # TYPE} line declared, or a family declared twice is an {@link IllegalArgumentException}.
 */
public final class PrometheusExposition {

    /** One sample line. */
    public static final class Sample {
        public final String name;
        public final Map<String, String> labels;
        public final double value;

        Sample(String name, Map<String, String> labels, double value) {
            this.name = name;
            this.labels = Collections.unmodifiableMap(labels);
            this.value = value;
        }

        public String label(String label) {
            return labels.get(label);
        }

        @Override
        public String toString() {
            return name + labels + " " + value;
        }
    }

    private final Map<String, String> types = new LinkedHashMap<>();
    private final Map<String, String> help = new LinkedHashMap<>();
    private final List<Sample> samples = new ArrayList<>();

    private PrometheusExposition() {
    }

    public static PrometheusExposition parse(String text) {
        PrometheusExposition exposition = new PrometheusExposition();
        String family = null;
        String type = null;
        int number = 0;
        for (String line : text.split("\n", -1)) {
            number++;
            if (line.isEmpty()) {
                continue;
            }
            try {
                if (line.startsWith("# TYPE ")) {
                    String[] parts = line.substring(7).split(" ");
                    if (parts.length != 2 || !parts[1].matches("counter|gauge|histogram|summary|untyped")) {
                        throw new IllegalArgumentException("bad TYPE line");
                    }
                    if (exposition.types.put(parts[0], parts[1]) != null) {
                        throw new IllegalArgumentException("family " + parts[0] + " declared twice");
                    }
                    family = parts[0];
                    type = parts[1];
                } else if (line.startsWith("# HELP ")) {
                    String rest = line.substring(7);
                    int space = rest.indexOf(' ');
                    exposition.help.put(space < 0 ? rest : rest.substring(0, space),
                            space < 0 ? "" : unescape(rest.substring(space + 1), false));
                } else if (line.startsWith("#")) {
                    continue; // a comment
                } else {
                    Sample sample = exposition.readSample(line);
                    if (family == null || !belongs(sample.name, family, type)) {
                        throw new IllegalArgumentException("sample outside its family " + family);
                    }
                    exposition.samples.add(sample);
                }
            } catch (RuntimeException e) {
                throw new IllegalArgumentException("line " + number + " '" + line + "': " + e.getMessage(), e);
            }
        }
        return exposition;
    }

    private static boolean belongs(String name, String family, String type) {
        if (name.equals(family)) {
            return true;
        }
        if (type.equals("summary")) { // quantiles carry the family's own name
            return name.equals(family + "_sum") || name.equals(family + "_count");
        }
        return type.equals("histogram") && (name.equals(family + "_bucket") || name.equals(family + "_sum")
                || name.equals(family + "_count"));
    }

    private Sample readSample(String line) {
        int i = 0;
        while (i < line.length() && isNameChar(line.charAt(i), i == 0, true)) {
            i++;
        }
        if (i == 0) {
            throw new IllegalArgumentException("no metric name");
        }
        String name = line.substring(0, i);
        Map<String, String> labels = new LinkedHashMap<>();
        if (i < line.length() && line.charAt(i) == '{') {
            i++;
            while (line.charAt(i) != '}') {
                int start = i;
                while (isNameChar(line.charAt(i), i == start, false)) {
                    i++;
                }
                String label = line.substring(start, i);
                if (label.isEmpty() || line.charAt(i) != '=' || line.charAt(i + 1) != '"') {
                    throw new IllegalArgumentException("bad label at column " + i);
                }
                i += 2;
                StringBuilder value = new StringBuilder();
                while (line.charAt(i) != '"') {
                    char c = line.charAt(i);
                    if (c == '\\') {
                        char next = line.charAt(++i);
                        value.append(next == 'n' ? '\n' : next == '\\' ? '\\' : next == '"' ? '"' : fail(next));
                    } else {
                        value.append(c);
                    }
                    i++;
                }
                i++;
                if (labels.put(label, value.toString()) != null) {
                    throw new IllegalArgumentException("label " + label + " twice");
                }
                if (line.charAt(i) == ',') {
                    i++;
                }
            }
            i++;
        }
        if (i >= line.length() || line.charAt(i) != ' ') {
            throw new IllegalArgumentException("no space before the value");
        }
        String[] rest = line.substring(i + 1).split(" ");
        if (rest.length > 2) {
            throw new IllegalArgumentException("more than a value and a timestamp");
        }
        return new Sample(name, labels, number(rest[0]));
    }

    private static char fail(char escaped) {
        throw new IllegalArgumentException("bad escape \\" + escaped);
    }

    private static boolean isNameChar(char c, boolean first, boolean metric) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c == '_' || (metric && c == ':')
                || (!first && c >= '0' && c <= '9');
    }

    private static double number(String text) {
        switch (text) {
            case "+Inf":
                return Double.POSITIVE_INFINITY;
            case "-Inf":
                return Double.NEGATIVE_INFINITY;
            case "NaN":
                return Double.NaN;
            default:
                return Double.parseDouble(text);
        }
    }

    private static String unescape(String text, boolean quotes) {
        StringBuilder out = new StringBuilder();
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c == '\\' && i + 1 < text.length()) {
                char next = text.charAt(++i);
                out.append(next == 'n' ? '\n' : next == '\\' ? '\\' : quotes && next == '"' ? '"' : fail(next));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /** The family's type from its {@code # TYPE} line, or null. */
    public String type(String family) {
        return types.get(family);
    }

    public String help(String family) {
        return help.get(family);
    }

    public List<Sample> samples() {
        return Collections.unmodifiableList(samples);
    }

    /** The samples named {@code name} whose labels pass {@code filter}. */
    public List<Sample> samples(String name, Predicate<Sample> filter) {
        List<Sample> found = new ArrayList<>();
        for (Sample sample : samples) {
            if (sample.name.equals(name) && filter.test(sample)) {
                found.add(sample);
            }
        }
        return found;
    }

    /** The sum of the values of those samples (0 when there are none). */
    public double sum(String name, Predicate<Sample> filter) {
        double sum = 0;
        for (Sample sample : samples(name, filter)) {
            sum += sample.value;
        }
        return sum;
    }

    /** The one sample named {@code name} with exactly {@code labels}; fails when there is none. */
    public Sample sample(String name, Map<String, String> labels) {
        for (Sample sample : samples) {
            if (sample.name.equals(name) && sample.labels.equals(labels)) {
                return sample;
            }
        }
        throw new AssertionError("no sample " + name + labels + " among " + samples(name, s -> true));
    }
}
