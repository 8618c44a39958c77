package io.mcpobservatory.bootstrap;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertSame;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.lang.ref.WeakReference;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.BooleanSupplier;
import org.junit.jupiter.api.Test;

class WeakIdentityMapTest {

    /** Equal by value, as the SDK's records are: the map must still tell two instances apart. */
    record Params(String name) {
    }

    @Test
    void keysAreComparedByIdentityNotEquals() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        Params a = new Params("get_forecast");
        Params b = new Params("get_forecast");
        assertEquals(a, b);

        map.put(a, "a");
        assertEquals("a", map.get(a));
        assertNull(map.get(b));
        assertEquals("b", map.computeIfAbsent(b, key -> "b"));
        assertEquals("a", map.computeIfAbsent(a, key -> "other"));
        assertEquals(2, map.size());

        assertNull(map.remove(new Params("get_forecast")));
        assertEquals("a", map.remove(a));
        assertNull(map.get(a));
        assertEquals("b", map.get(b));
        assertEquals(1, map.size());
    }

    @Test
    void putReplacesTheValueOfTheSameKey() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        Params key = new Params("x");
        map.put(key, "1");
        map.put(key, "2");
        assertEquals("2", map.get(key));
        assertEquals(1, map.size());
    }

    @Test
    void nullKeysAreNeverStored() {
        WeakIdentityMap<Object, String> map = new WeakIdentityMap<>();
        map.put(null, "lost");
        assertNull(map.get(null));
        assertEquals("made", map.computeIfAbsent(null, key -> "made"));
        assertNull(map.remove(null));
        assertEquals(0, map.size());
    }

    @Test
    void entriesOfCollectedKeysGoAway() throws InterruptedException {
        WeakIdentityMap<Object, Object> map = new WeakIdentityMap<>();
        Params live = new Params("live");
        map.put(live, "kept");
        for (int i = 0; i < 100; i++) {
            map.put(new Params("dropped"), new Object());
        }
        assertTrue(eventually(() -> map.size() == 1), "entries of collected keys are purged");
        assertEquals("kept", map.get(live));
    }

    @Test
    void readsAloneReleaseTheValuesOfCollectedKeys() throws InterruptedException {
        // A session's map is mostly read: a dead session's state must not wait for the next write to go away.
        WeakIdentityMap<Object, Object> map = new WeakIdentityMap<>();
        Params live = new Params("live");
        map.put(live, "kept");
        WeakReference<Object> value = putCollectableEntry(map);
        assertTrue(eventually(() -> {
            map.get(live);
            return value.get() == null;
        }), "the value of a collected key is released after gets alone");
        assertEquals("kept", map.get(live));
    }

    /** An entry whose key and value nothing else holds; returns a weak reference to the value. */
    private static WeakReference<Object> putCollectableEntry(WeakIdentityMap<Object, Object> map) {
        Object value = new Object();
        map.put(new Params("dead"), value);
        return new WeakReference<>(value);
    }

    @Test
    void concurrentUseGivesOneValuePerKeyAndLosesNothing() throws Exception {
        WeakIdentityMap<Object, Object> map = new WeakIdentityMap<>();
        int threads = 4;
        int sharedKeys = 2_000;
        List<Params> shared = new ArrayList<>();
        for (int i = 0; i < sharedKeys; i++) {
            shared.add(new Params("shared"));
        }
        AtomicInteger created = new AtomicInteger();
        CountDownLatch start = new CountDownLatch(1);
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        try {
            List<Future<Object[]>> results = new ArrayList<>();
            for (int t = 0; t < threads; t++) {
                results.add(pool.submit(() -> {
                    start.await();
                    Object[] seen = new Object[sharedKeys];
                    for (int i = 0; i < sharedKeys; i++) {
                        seen[i] = map.computeIfAbsent(shared.get(i), key -> {
                            created.incrementAndGet();
                            return new Object();
                        });
                        Params own = new Params("own"); // a tools/call: put, get, remove of a fresh key
                        map.put(own, seen[i]);
                        assertSame(seen[i], map.get(own));
                        assertSame(seen[i], map.remove(own));
                    }
                    return seen;
                }));
            }
            start.countDown();
            Object[] first = results.get(0).get(30, TimeUnit.SECONDS);
            for (Future<Object[]> result : results) {
                Object[] seen = result.get(30, TimeUnit.SECONDS);
                for (int i = 0; i < sharedKeys; i++) {
                    assertSame(first[i], seen[i], "every thread gets the one value of a key");
                    assertSame(first[i], map.get(shared.get(i)));
                }
            }
        } finally {
            pool.shutdownNow();
        }
        assertEquals(sharedKeys, created.get(), "one factory call per key");
        assertEquals(sharedKeys, map.size());
    }

    private static boolean eventually(BooleanSupplier condition) throws InterruptedException {
        long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(10);
        while (System.nanoTime() < deadline) {
            System.gc();
            Thread.sleep(10);
            if (condition.getAsBoolean()) {
                return true;
            }
        }
        return false;
    }
}
