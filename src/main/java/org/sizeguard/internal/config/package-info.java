/**
 * Configuration: the sources in precedence order ({@link org.sizeguard.internal.config.ConfigSources}: system
 * properties, environment, MicroProfile Config, {@code web.xml}), the resolution of policies and server limits from
 * the keys declared in {@link PolicySetting} and {@link ServerSetting}
 * ({@link org.sizeguard.internal.config.PolicyResolver}), and the parsers of sizes, durations and counts. An invalid value fails the deployment, naming key and value.
 */
package org.sizeguard.internal.config;
