package io.mcpobservatory.agent.instrument;

import io.mcpobservatory.bootstrap.WeakIdentityMap;
import net.bytebuddy.agent.builder.AgentBuilder;
import net.bytebuddy.pool.TypePool;

/**
 * Type descriptions kept between class loads, per class loader. Byte Buddy's default pool strategy describes every type
 * afresh for each class it is offered, so the supertype matchers ({@code hasSuperType}) re-read and re-parse the class
 * files of the same supertypes (SDK interfaces, {@code java.lang.Object}) for each of the SDK's classes: at start, most of
 * the time the agent spent on the application's class-loading thread (README, "How it is built"). The cache holds soft
 * references (the JVM may take them back under memory pressure), keyed weakly by class loader (a redeployed
 * application's loader is never kept alive).
 */
final class TypePoolCache extends AgentBuilder.PoolStrategy.WithTypePoolCache {

    private final WeakIdentityMap<ClassLoader, TypePool.CacheProvider> byLoader = new WeakIdentityMap<>();
    private final TypePool.CacheProvider boot = new TypePool.CacheProvider.Simple.UsingSoftReference();

    TypePoolCache() {
        super(TypePool.Default.ReaderMode.FAST);
    }

    @Override
    protected TypePool.CacheProvider locate(ClassLoader classLoader) {
        return classLoader == null ? boot
                : byLoader.computeIfAbsent(classLoader, loader -> new TypePool.CacheProvider.Simple.UsingSoftReference());
    }
}
