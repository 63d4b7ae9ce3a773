package org.sizeguard.app;

import java.util.Set;

import jakarta.websocket.Endpoint;
import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpointConfig;

/**
 * Keeps the container from deploying this WAR's {@code @ServerEndpoint} classes itself: Sizeguard deploys each
 * of them, guarded, when the application starts. A WAR that uses the core jar needs the same class (the core
 * cannot ship one, because containers deploy every {@code ServerApplicationConfig} they find).
 */
public class GuardedEndpointsOnly implements ServerApplicationConfig {

    @Override
    public Set<ServerEndpointConfig> getEndpointConfigs(Set<Class<? extends Endpoint>> scanned) {
        return Set.of();
    }

    @Override
    public Set<Class<?>> getAnnotatedEndpointClasses(Set<Class<?>> scanned) {
        return Set.of();
    }
}
