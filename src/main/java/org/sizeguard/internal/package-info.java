/**
 * The guard itself, not an API: {@link org.sizeguard.internal.SizeguardInitializer} sets it up when an application
 * deploys, wrapping every annotated endpoint class of the application in a {@link org.sizeguard.internal.GuardedEndpoint}. Inbound, a
 * message's parts pass {@link org.sizeguard.internal.Inbound} (limit, assembly against the
 * {@link org.sizeguard.internal.MemoryBudget}, deadlines, stream readers) to the author's method; outbound, every send
 * passes {@link org.sizeguard.internal.Outbound}; every refusal ends in {@link org.sizeguard.internal.Rejections}.
 * {@link org.sizeguard.internal.GuardRuntime} holds what the sessions of one application share.
 * <p>
 * Sub-packages: {@code config} (sources, resolution, unit parsers) and {@code adapter} (one per server). May use the
 * API, the codecs and the Java and Jakarta APIs; never {@code org.sizeguard.app}, and no container class outside
 * its adapter.
 */
package org.sizeguard.internal;
