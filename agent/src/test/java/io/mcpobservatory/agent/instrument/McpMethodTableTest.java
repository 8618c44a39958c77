package io.mcpobservatory.agent.instrument;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;

import io.mcpobservatory.bootstrap.McpMethod;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

/**
 * Every JSON-RPC method any SDK release declares ({@code McpSchema.METHOD_*}, listed per release in the table
 * {@link MuzzleTest} checks against the releases' class files) has its entry in the bootstrap's {@link McpMethod}
 * table: a new release's new method fails here until the table says what it means.
 */
class McpMethodTableTest {

    @Test
    void everyMethodOfEverySdkReleaseIsInTheTable() throws IOException {
        Set<String> declared = new TreeSet<>();
        boolean inMethods = false;
        for (String line : table()) {
            if (line.startsWith("  ") && !line.startsWith("    ")) {
                inMethods = line.equals("  methods");
            } else if (!line.startsWith("  ")) {
                inMethods = false;
            } else if (inMethods) {
                declared.add(line.trim().split("\\s+")[0]);
            }
        }
        assertFalse(declared.isEmpty(), "no methods section read from the table");
        Set<String> unknown = new TreeSet<>();
        for (String name : declared) {
            if (!McpMethod.of(name).isKnown()) {
                unknown.add(name);
            }
        }
        assertEquals(Set.of(), unknown, "methods the SDK declares that McpMethod's table does not know");
    }

    private static List<String> table() throws IOException {
        try (InputStream in = McpMethodTableTest.class.getResourceAsStream("/sdk-instrumentation-points.txt")) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8).lines().toList();
        }
    }
}
