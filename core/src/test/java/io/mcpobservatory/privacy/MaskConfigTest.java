package io.mcpobservatory.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;

/** {@link PrivacyConfig} from properties: keys added to or replacing the defaults, patterns, the budget, bad values. */
class MaskConfigTest {

    private static final String JSON = "{\"password\":\"a\",\"pin\":\"1234\",\"otp\":\"999\",\"name\":\"b\"}";

    @Test
    void sensitiveKeysExtendTheDefaults() {
        Masker masker = Masker.create(PrivacyConfig.from(Map.of(PrivacyConfig.SENSITIVE_KEYS, " otp ,, Session-Id")));
        assertEquals("{\"password\":\"[REDACTED:key]\",\"pin\":\"[REDACTED:key]\",\"otp\":\"[REDACTED:key]\",\"name\":\"b\"}",
                masker.maskJson(JSON));
        assertEquals("{\"mcp_session_id\":\"[REDACTED:key]\"}", masker.maskJson("{\"mcp_session_id\":\"s1\"}"));
    }

    @Test
    void minusDefaultsReplacesThem() {
        Masker masker = Masker.create(PrivacyConfig.from(Map.of(PrivacyConfig.SENSITIVE_KEYS, "-defaults,otp")));
        assertEquals("{\"password\":\"a\",\"pin\":\"1234\",\"otp\":\"[REDACTED:key]\",\"name\":\"b\"}",
                masker.maskJson(JSON));
        assertEquals("password=a otp=[REDACTED:key]", masker.maskText("password=a otp=1"));
    }

    @Test
    void badValuesAreWarningsAndDefaults() {
        Properties properties = new Properties();
        properties.setProperty(PrivacyConfig.MAX_CHARS, "lots");
        properties.setProperty(PrivacyConfig.PATTERNS_PREFIX + "bad name", "x");
        properties.setProperty(PrivacyConfig.PATTERNS_PREFIX + "broken", "([a-z");
        properties.setProperty(PrivacyConfig.SENSITIVE_KEYS, "--");
        PrivacyConfig config = PrivacyConfig.from(properties);
        assertEquals(PrivacyConfig.DEFAULT_MAX_CHARS, config.maxChars());
        assertEquals(4, config.warnings().size(), config.warnings().toString());
        assertTrue(config.patterns.isEmpty());
        assertEquals(SensitiveKeys.DEFAULTS, config.sensitiveKeys);
    }
}
