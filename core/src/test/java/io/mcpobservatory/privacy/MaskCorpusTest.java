package io.mcpobservatory.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.stream.Stream;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.Arguments;
import org.junit.jupiter.params.provider.MethodSource;

/**
 * The detectors against {@code privacy/corpus.tsv}: true positives and near misses of every kind, their expectations
 * taken from the formats' definitions (check digits computed by Luhn and MOD 97-10 by hand, not by this code).
 */
class MaskCorpusTest {

    private static final Masker MASKER = Masker.create(PrivacyConfig.defaults());

    record Row(int line, String kind, String input, String expected) {
    }

    static List<Row> rows() throws IOException {
        List<Row> rows = new ArrayList<>();
        try (InputStream in = MaskCorpusTest.class.getResourceAsStream("/privacy/corpus.tsv")) {
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (int i = 0; i < lines.length; i++) {
                if (lines[i].isEmpty() || lines[i].startsWith("#")) {
                    continue;
                }
                String[] fields = lines[i].split("\t", -1);
                assertEquals(3, fields.length, "corpus line " + (i + 1) + ": kind, input, expected");
                String input = fields[1].replace("\\n", "\n");
                String expected = fields[2].equals("=") ? input : fields[2].replace("\\n", "\n");
                rows.add(new Row(i + 1, fields[0], input, expected));
            }
        }
        return rows;
    }

    static Stream<Arguments> cases() throws IOException {
        return rows().stream().map(row -> Arguments.of(row.line, row.kind, row.input, row.expected));
    }

    @ParameterizedTest(name = "line {0} ({1}): {2}")
    @MethodSource("cases")
    void masksAsTheFormatSays(int line, String kind, String input, String expected) {
        MaskCounts counts = new MaskCounts();
        assertEquals(expected, MASKER.maskText(input, counts), "corpus line " + line);
        int markers = (expected.length() - expected.replace("[REDACTED:", "").length()) / "[REDACTED:".length();
        assertEquals(markers, counts.total(), "corpus line " + line + ": counted " + counts);
        if (markers > 0) {
            assertEquals(markers, counts.count(kind), "corpus line " + line + ": kind " + kind + " in " + counts);
        }
    }

    /** Enough cases to mean something: at least 10 per kind, and near misses for each. */
    @Test
    void corpusCoversEveryKind() throws IOException {
        Map<String, int[]> perKind = new TreeMap<>();
        for (Row row : rows()) {
            int[] n = perKind.computeIfAbsent(row.kind, k -> new int[2]);
            n[row.input.equals(row.expected) ? 1 : 0]++;
        }
        for (String kind : List.of("email", "card", "ssn", "phone", "iban", "ipv4", "ipv6", "jwt", "bearer", "api_key",
                "key")) {
            int[] n = perKind.getOrDefault(kind, new int[2]);
            assertTrue(n[0] >= 5 && n[1] >= 5 && n[0] + n[1] >= 10,
                    kind + ": " + n[0] + " positives, " + n[1] + " near misses");
        }
    }
}
