package io.mcpobservatory.privacy;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertNotEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Map;
import org.junit.jupiter.api.Test;

class IdHasherTest {

    @Test
    void offUnlessAskedFor() {
        assertNull(IdHasher.from(Map.of()));
        assertNull(IdHasher.from(Map.of(IdHasher.HASH_IDS, "false")));
    }

    /** RFC 4231 test case 2: HMAC-SHA256 with key "Jefe" of "what do ya want for nothing?". */
    @Test
    void hmacSha256OfTheIdWithTheSaltAsKey() {
        IdHasher hasher = IdHasher.from(Map.of(IdHasher.HASH_IDS, "true", IdHasher.SALT, "Jefe"));
        assertEquals("sha256:5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843",
                hasher.hash("what do ya want for nothing?"));
        assertFalse(hasher.randomSalt());
        assertNull(hasher.hash(null));
    }

    @Test
    void withoutASaltEachStartDrawsItsOwn() {
        IdHasher one = IdHasher.from(Map.of(IdHasher.HASH_IDS, "true"));
        IdHasher two = IdHasher.from(Map.of(IdHasher.HASH_IDS, "TRUE", IdHasher.SALT, " "));
        assertTrue(one.randomSalt() && two.randomSalt());
        assertEquals(one.hash("session-1"), one.hash("session-1"));
        assertNotEquals(one.hash("session-1"), two.hash("session-1"));
        assertNotEquals(one.hash("session-1"), one.hash("session-2"));
    }
}
