package io.mcpobservatory.agent.config;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class AgentArgumentTest {

    @TempDir
    Path dir;

    @Test
    void aPathIsAFileAsBefore() {
        AgentArgument argument = AgentArgument.parse(" /etc/observatory.properties ");
        assertEquals("/etc/observatory.properties", argument.file);
        assertTrue(argument.settings.isEmpty());
        assertNull(AgentArgument.parse(null).file);
        assertNull(AgentArgument.parse("  ").file);
        // a file named like a key but without '=' is still a file
        assertEquals("observatory.properties", AgentArgument.parse("observatory.properties").file);
    }

    @Test
    void valuesKeepCommasEqualsPercentsAndNonAscii() {
        Map<String, String> settings = new LinkedHashMap<>();
        settings.put("observatory.config", "/tmp/a dir, with=signs/o.properties");
        settings.put("observatory.jdbc.url", "jdbc:postgresql://db/x?user=a&password=p,w=%2C");
        settings.put("observatory.service.name", "météo ☂ 50%");
        settings.put("observatory.jsonl.path", " padded ");
        String encoded = AgentArgument.encode(settings);
        assertTrue(encoded.chars().allMatch(c -> c > ' ' && c < 0x7f), encoded);

        AgentArgument decoded = AgentArgument.parse(encoded);
        assertEquals("/tmp/a dir, with=signs/o.properties", decoded.file);
        assertEquals("jdbc:postgresql://db/x?user=a&password=p,w=%2C", decoded.settings.get("observatory.jdbc.url"));
        assertEquals("météo ☂ 50%", decoded.settings.get("observatory.service.name"));
        assertEquals(" padded ", decoded.settings.get("observatory.jsonl.path"));
        assertTrue(decoded.malformed.isEmpty());
    }

    @Test
    void handWrittenListsNeedNoEscaping() {
        AgentArgument argument = AgentArgument.parse("observatory.service.name=a=b 100%,observatory.enabled=false,,junk");
        assertEquals("a=b 100%", argument.settings.get("observatory.service.name"));
        assertEquals("false", argument.settings.get("observatory.enabled"));
        assertEquals(List.of("junk"), argument.malformed);
    }

    @Test
    void argumentSettingsRankAboveSystemPropertiesAboveEnvironmentAboveFile() throws IOException {
        Path file = dir.resolve("o.properties");
        Files.writeString(file, "observatory.service.name=file\nobservatory.export.batch-size=10\n"
                + "observatory.buffer.capacity=64\nobservatory.jsonl.max-files=7\n");
        Properties system = new Properties();
        system.setProperty("observatory.service.name", "sysprop");
        system.setProperty("observatory.export.batch-size", "20");
        Map<String, String> env = Map.of("OBSERVATORY_SERVICE_NAME", "env", "OBSERVATORY_EXPORT_BATCH_SIZE", "30",
                "OBSERVATORY_BUFFER_CAPACITY", "128");
        Map<String, String> overrides = new LinkedHashMap<>();
        overrides.put("observatory.config", file.toString());
        overrides.put("observatory.service.name", "argument");

        Config config = Config.load(AgentArgument.encode(overrides), system, env);
        AgentSettings settings = AgentSettings.from(config, "Main");
        assertEquals("argument", settings.serviceName);
        assertEquals(20, settings.batchSize);
        assertEquals(128, settings.bufferCapacity);
        assertEquals(7, settings.jsonlMaxFiles);
        assertTrue(config.warnings().isEmpty(), config.warnings().toString());
    }

    @Test
    void badEntriesOfTheListWarn() {
        Config config = Config.load("observatory.servcie.name=x,observatory.enabled=maybe,oops", new Properties(),
                Map.of());
        AgentSettings.from(config, "Main");
        assertEquals(3, config.warnings().size(), config.warnings().toString());
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("observatory.servcie.name (agent argument)")));
        assertTrue(config.warnings().stream().anyMatch(w -> w.contains("'oops' is not key=value")));
    }
}
