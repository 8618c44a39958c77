package io.mcpobservatory.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.TreeSet;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** The README's configuration table lists exactly the keys of {@link ConfigKey}, each with its default. */
class ConfigTableTest {

    private static final Pattern ROW = Pattern.compile("^\\| `(observatory\\.[^`]+)` \\|([^|]*)\\|", Pattern.MULTILINE);

    @Test
    void readmeTableHasEveryKeyWithItsDefault() throws Exception {
        String readme = Files.readString(Path.of("..", "README.md"));
        Map<String, String> rows = new LinkedHashMap<>();
        Matcher row = ROW.matcher(readme);
        while (row.find()) {
            // the dynamic keys (per model, per alert rule, per masking pattern) are documented by a pattern, not a row each
            if (!row.group(1).startsWith(ConfigKey.PRICING_PREFIX) && !row.group(1).startsWith(ConfigKey.ALERT_PREFIX)
                    && !row.group(1).startsWith(ConfigKey.PRIVACY_PATTERNS_PREFIX)) {
                rows.put(row.group(1), row.group(2).trim());
            }
        }
        TreeSet<String> keys = new TreeSet<>();
        for (ConfigKey key : ConfigKey.values()) {
            keys.add(key.key);
        }
        assertEquals(keys, new TreeSet<>(rows.keySet()), "README configuration table against ConfigKey");
        for (ConfigKey key : ConfigKey.values()) {
            if (key.defaultValue != null) {
                assertTrue(rows.get(key.key).contains("`" + key.defaultValue + "`"),
                        key.key + ": README says default " + rows.get(key.key) + ", ConfigKey " + key.defaultValue);
            }
        }
    }
}
