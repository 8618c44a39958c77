package io.mcpobservatory.bootstrap;

import java.lang.ref.ReferenceQueue;
import java.lang.ref.WeakReference;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;
import java.util.function.Function;

/**
 * Per-object state for instrumented objects (sessions, transports, request params, exchanges), since advice applied by
 * retransformation cannot add fields. Keys are compared by identity (SDK records override equals) and held weakly, so
 * the map never keeps a session alive. Entries whose keys the GC has cleared are purged by every operation, reads
 * included (a map that is only read must not keep dead sessions' values); a {@code null} key is never stored.
 *
 * <p>Measured against weak-lock-free, OpenTelemetry's copy of it and Caffeine's weak keys (benchmarks/RESULTS.md, "Weak
 * identity map"): as fast or faster on every operation the bridge does, the same bytes per entry, and no dependency.
 * Note that a key is cleared only when the GC finds it unreachable: a key that a young collection promoted (or whose
 * entry it promoted) waits for an old-generation collection, so maps whose keys die in flight are better emptied with
 * {@link #remove}.
 */
public final class WeakIdentityMap<K, V> {

    private final ConcurrentHashMap<Object, V> map = new ConcurrentHashMap<>();
    private final ReferenceQueue<K> queue = new ReferenceQueue<>();

    public V get(K key) {
        purge();
        return key == null ? null : map.get(new Lookup(key));
    }

    /** The key's value, made by {@code factory} (once, even when threads race) if absent; not stored for {@code null}. */
    public V computeIfAbsent(K key, Function<? super K, ? extends V> factory) {
        V value = get(key);
        if (value != null) {
            return value;
        }
        if (key == null) {
            return factory.apply(null);
        }
        return map.computeIfAbsent(new WeakKey<>(key, queue), ignored -> factory.apply(key));
    }

    public void put(K key, V value) {
        purge();
        if (key != null) {
            map.put(new WeakKey<>(key, queue), value);
        }
    }

    public V remove(K key) {
        purge();
        return key == null ? null : map.remove(new Lookup(key));
    }

    /** Each value whose key is still alive, at the time of the call (weakly consistent, as the map's iteration). */
    public void forEachValue(Consumer<? super V> action) {
        purge();
        map.values().forEach(action);
    }

    public int size() {
        purge();
        return map.size();
    }

    /** Removes the entries of cleared keys; costs one volatile read when there are none. */
    private void purge() {
        Object stale;
        while ((stale = queue.poll()) != null) {
            map.remove(stale);
        }
    }

    /** Referent of a stored key or a lookup key, for the identity comparison shared by both. */
    private interface Referent {
        Object referent();
    }

    private static final class WeakKey<K> extends WeakReference<K> implements Referent {
        private final int hash;

        WeakKey(K key, ReferenceQueue<K> queue) {
            super(key, queue);
            this.hash = System.identityHashCode(key);
        }

        @Override
        public Object referent() {
            return get();
        }

        @Override
        public int hashCode() {
            return hash;
        }

        @Override
        public boolean equals(Object other) {
            if (this == other) {
                return true;
            }
            if (!(other instanceof Referent)) {
                return false;
            }
            Object mine = get();
            return mine != null && mine == ((Referent) other).referent();
        }
    }

    private static final class Lookup implements Referent {
        private final Object key;

        Lookup(Object key) {
            this.key = key;
        }

        @Override
        public Object referent() {
            return key;
        }

        @Override
        public int hashCode() {
            return System.identityHashCode(key);
        }

        @Override
        public boolean equals(Object other) {
            return other instanceof Referent && ((Referent) other).referent() == key;
        }
    }
}
