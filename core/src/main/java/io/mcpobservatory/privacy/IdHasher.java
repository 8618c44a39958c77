package io.mcpobservatory.privacy;

import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.HexFormat;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Replaces identifiers that point at a person or a machine (session ids, client addresses) by a keyed hash when
 * {@code observatory.privacy.hash-ids} is {@code true}: HMAC-SHA256 with the deployment's salt
 * ({@code observatory.privacy.salt}) as key, written {@code sha256:<64 hex>}. The same id gives the same hash under
 * one salt, so sessions and clients can still be grouped and counted, but the id cannot be read back, nor found by
 * hashing guesses without the salt. Without a configured salt a random one is drawn at each agent start
 * ({@link #randomSalt()} says so, to be logged): hashes then only match within one run. Thread-safe.
 */
public final class IdHasher {

    public static final String HASH_IDS = "observatory.privacy.hash-ids";
    public static final String SALT = "observatory.privacy.salt";
    static final String PREFIX = "sha256:";

    private final SecretKeySpec key;
    private final boolean randomSalt;
    private final ThreadLocal<Mac> macs;

    private IdHasher(byte[] salt, boolean randomSalt) {
        this.key = new SecretKeySpec(salt, "HmacSHA256");
        this.randomSalt = randomSalt;
        this.macs = ThreadLocal.withInitial(this::newMac);
    }

    /** The hasher the settings ask for, or null when {@code observatory.privacy.hash-ids} is not {@code true}. */
    public static IdHasher from(Map<String, String> settings) {
        if (!"true".equalsIgnoreCase(String.valueOf(settings.get(HASH_IDS)).trim())) {
            return null;
        }
        String salt = settings.get(SALT);
        if (salt == null || salt.isBlank()) {
            byte[] random = new byte[32];
            new SecureRandom().nextBytes(random);
            return new IdHasher(random, true);
        }
        return new IdHasher(salt.getBytes(StandardCharsets.UTF_8), false);
    }

    /** Whether the salt was drawn at random for this run (no {@code observatory.privacy.salt}). */
    public boolean randomSalt() {
        return randomSalt;
    }

    /** {@code sha256:} and the HMAC-SHA256 of the id's UTF-8 bytes, in hex; null stays null. */
    public String hash(String id) {
        if (id == null) {
            return null;
        }
        byte[] digest = macs.get().doFinal(id.getBytes(StandardCharsets.UTF_8));
        return PREFIX + HexFormat.of().formatHex(digest);
    }

    private Mac newMac() {
        try {
            Mac mac = Mac.getInstance("HmacSHA256");
            mac.init(key);
            return mac;
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is required of every JDK", e);
        }
    }
}
