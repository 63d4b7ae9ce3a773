/**
 * The Undertow adapter (WildFly). Undertow reads frames through its own channels, so Sizeguard sees message parts
 * there, not connections; the adapter installs nothing yet.
 */
package org.sizeguard.internal.adapter.undertow;
