package io.mcpobservatory.tokens;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNotNull;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.mcpobservatory.log.Log;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.PrintStream;
import java.lang.reflect.Field;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.function.Supplier;
import org.junit.jupiter.api.Test;

class PriceTableTest {

    private static final double EPSILON = 1e-12;

    @Test
    void configuredPrice() {
        PriceTable prices = PriceTable.load(Map.of("acme-llm-1", new PriceTable.Price(2.0, 8.0)));
        // 1.5 M prompt tokens at $2/M plus 0.25 M completion tokens at $8/M
        assertEquals(3.0 + 2.0, prices.cost("acme-llm-1", 1_500_000, 250_000), EPSILON);
        assertEquals(0.000_002, prices.cost("acme-llm-1", 1, 0), EPSILON);
    }

    @Test
    void tablePrice() {
        PriceTable prices = PriceTable.load(Map.of());
        // model-prices.csv: claude-sonnet-4-5 is $3 in, $15 out; gpt-4o $2.50 in, $10 out
        assertEquals(1_000 * 3.0 / 1e6 + 500 * 15.0 / 1e6, prices.cost("claude-sonnet-4-5", 1_000, 500), EPSILON);
        assertEquals(0.0105, prices.cost("claude-sonnet-4-5", 1_000, 500), EPSILON);
        assertEquals(2.5 + 10.0, prices.cost("gpt-4o", 1_000_000, 1_000_000), EPSILON);
        assertEquals(0.0, prices.cost("gpt-4o", 0, 0), EPSILON);
    }

    @Test
    void datedSuffixFallsBackToTheAlias() {
        PriceTable prices = PriceTable.load(Map.of());
        // Dates the table does not list, so only the suffix rule can price them.
        assertEquals(new PriceTable.Price(3.0, 15.0), prices.price("claude-sonnet-4-5-20991231"));
        assertEquals(new PriceTable.Price(2.5, 10.0), prices.price("gpt-4o-2099-01-31"));
        // A dated row the table has is used as is: gpt-4o-2024-05-13 was dearer than today's gpt-4o.
        assertEquals(new PriceTable.Price(5.0, 15.0), prices.price("gpt-4o-2024-05-13"));
        // Only a date is a dated suffix: version numbers are part of the name.
        assertNull(prices.price("claude-sonnet-4-5-2"));
        assertNull(prices.price("gpt-4o-2099-01"));
    }

    @Test
    void namesMatchWithTheirCase() {
        assertNull(PriceTable.load(Map.of()).price("Claude-Sonnet-4-5"));
    }

    @Test
    void overridesWinOverTheTableSideBySide() {
        PriceTable prices = PriceTable.load(Map.of(
                "claude-sonnet-4-5", new PriceTable.Price(1.0, null),
                "gpt-4o-2024-08-06", new PriceTable.Price(null, 4.0)));
        assertEquals(new PriceTable.Price(1.0, 15.0), prices.price("claude-sonnet-4-5"));
        // An override of the alias also prices its dated snapshots, even those the table lists.
        assertEquals(new PriceTable.Price(1.0, 15.0), prices.price("claude-sonnet-4-5-20250929"));
        assertEquals(new PriceTable.Price(2.5, 4.0), prices.price("gpt-4o-2024-08-06"));
        assertEquals(new PriceTable.Price(2.5, 10.0), prices.price("gpt-4o"));
    }

    @Test
    void unknownModelIsNullWithOneWarning() {
        PriceTable prices = PriceTable.load(Map.of());
        String model = "no-such-model-" + System.nanoTime();
        List<String> said = capturingLog(() -> {
            assertNull(prices.cost(model, 100, 10));
            assertNull(prices.cost(model, 5, 0));
            return null;
        });
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).contains(model) && said.get(0).contains("observatory.pricing." + model), said.get(0));
        assertNull(prices.cost(null, 100, 10));
    }

    @Test
    void halfConfiguredUnknownModelPricesOnlyItsKnownSide() {
        PriceTable prices = PriceTable.load(Map.of("in-house-7b", new PriceTable.Price(0.5, null)));
        assertEquals(0.5, prices.cost("in-house-7b", 1_000_000, 0), EPSILON);
        List<String> said = capturingLog(() -> {
            assertNull(prices.cost("in-house-7b", 1_000_000, 1));
            return null;
        });
        assertEquals(1, said.size(), said.toString());
        assertTrue(said.get(0).contains("no output price"), said.get(0));
    }

    /** Every row of the shipped file prices its model, with the file's own numbers (read here independently). */
    @Test
    void everyShippedRowIsLoaded() throws IOException {
        List<String[]> rows = new ArrayList<>();
        try (InputStream in = getClass().getClassLoader().getResourceAsStream(PriceTable.RESOURCE)) {
            assertNotNull(in);
            String[] lines = new String(in.readAllBytes(), StandardCharsets.UTF_8).split("\n");
            for (String line : lines) {
                if (!line.isBlank() && !line.startsWith("#") && !line.startsWith("model,")) {
                    rows.add(line.split(","));
                }
            }
        }
        assertTrue(rows.size() > 100, "rows: " + rows.size());
        List<String> said = capturingLog(() -> PriceTable.load(Map.of()));
        assertTrue(said.isEmpty(), said.toString());
        PriceTable prices = PriceTable.load(Map.of());
        for (String[] row : rows) {
            assertEquals(new PriceTable.Price(Double.valueOf(row[2]), Double.valueOf(row[3])), prices.price(row[0]),
                    row[0]);
        }
    }

    @Test
    void damagedRowsAreSkipped() {
        List<String> said = new ArrayList<>();
        PriceTable prices = capturingLog(said, () -> PriceTable.of(
                "# comment\nmodel,provider,input_usd_per_mtok,output_usd_per_mtok\nm1,x,1,2\nm2,x,cheap,2\nm3\n",
                Map.of()));
        assertEquals(new PriceTable.Price(1.0, 2.0), prices.price("m1"));
        assertNull(prices.price("m2"));
        assertEquals(2, said.size(), said.toString());
    }

    private static List<String> capturingLog(Supplier<?> action) {
        List<String> said = new ArrayList<>();
        capturingLog(said, action);
        return said;
    }

    /**
     * Runs {@code action} with {@link Log}'s stream swapped for a buffer, and adds the lines said to {@code said}.
     * Reflection because Log has no test hook and its stream is private; the field is restored afterwards.
     */
    private static synchronized <T> T capturingLog(List<String> said, Supplier<T> action) {
        ByteArrayOutputStream buffer = new ByteArrayOutputStream();
        try {
            Field err = Log.class.getDeclaredField("err");
            err.setAccessible(true);
            Object original = err.get(null);
            err.set(null, new PrintStream(buffer, true, StandardCharsets.UTF_8));
            try {
                return action.get();
            } finally {
                err.set(null, original);
                for (String line : buffer.toString(StandardCharsets.UTF_8).split("\n")) {
                    if (!line.isEmpty()) {
                        said.add(line);
                    }
                }
            }
        } catch (ReflectiveOperationException e) {
            throw new AssertionError(e);
        }
    }
}
