/**
 * What Sizeguard needs of a server beyond the Jakarta APIs, behind
 * {@link org.sizeguard.internal.adapter.ContainerAdapter}, one implementation per WebSocket implementation, chosen once at start-up: {@code tyrus} (Payara, GlassFish) and
 * {@code undertow} (WildFly). Only an adapter's package may name its container's classes.
 */
package org.sizeguard.internal.adapter;
