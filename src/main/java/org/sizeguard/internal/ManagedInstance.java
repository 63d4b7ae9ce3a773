package org.sizeguard.internal;

import java.lang.reflect.InvocationTargetException;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.enterprise.inject.spi.Unmanaged;

/**
 * An instance of an endpoint or decoder class that Sizeguard creates itself. Where CDI runs, the instance gets
 * injection, {@code @PostConstruct} and, on {@link #release()}, {@code @PreDestroy}, the same on Payara and on
 * WildFly; without CDI (plain unit tests) it is constructed reflectively.
 */
final class ManagedInstance<T> {

    private final T instance;
    private final Runnable release;

    private ManagedInstance(T instance, Runnable release) {
        this.instance = instance;
        this.release = release;
    }

    static <T> ManagedInstance<T> create(Class<T> type) {
        CDI<Object> cdi;
        try {
            cdi = CDI.current();
        } catch (IllegalStateException noCdi) {
            return new ManagedInstance<>(construct(type), () -> { });
        }
        Unmanaged.UnmanagedInstance<T> unmanaged = new Unmanaged<>(cdi.getBeanManager(), type).newInstance();
        unmanaged.produce().inject().postConstruct();
        return new ManagedInstance<>(unmanaged.get(), () -> unmanaged.preDestroy().dispose());
    }

    /** An instance someone else created and disposes of. */
    static <T> ManagedInstance<T> of(T instance) {
        return new ManagedInstance<>(instance, () -> { });
    }

    private static <T> T construct(Class<T> type) {
        try {
            return type.getDeclaredConstructor().newInstance();
        } catch (InvocationTargetException e) {
            throw new IllegalStateException("cannot create " + type.getName(), e.getCause());
        } catch (ReflectiveOperationException e) {
            throw new IllegalStateException("cannot create " + type.getName() + ": it needs a public no-argument "
                    + "constructor", e);
        }
    }

    T get() {
        return instance;
    }

    void release() {
        release.run();
    }
}
