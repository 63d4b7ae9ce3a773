/**
 * The guard itself, not an API: {@link org.sizeguard.internal.SizeguardInitializer} sets it up when an application
 * deploys, binding every annotated endpoint class of the application once ({@link org.sizeguard.internal.EndpointModel}) and
 * wrapping it in a {@link org.sizeguard.internal.GuardedEndpoint} per session. Inbound, one way: a message's parts
 * pass the session's {@link org.sizeguard.internal.MessageSink} for their kind (limit and assembly in
 * {@link org.sizeguard.internal.MessageAssembler} against the {@link org.sizeguard.internal.MemoryBudget}, deadlines,
 * stream readers) to the author's method ({@link org.sizeguard.internal.BoundMethod}); outbound, every send
 * passes {@link org.sizeguard.internal.Outbound}; every refusal is handed to the session's
 * {@link org.sizeguard.internal.SessionClose}, which closes through {@link org.sizeguard.internal.Rejections}.
 * {@link org.sizeguard.internal.GuardRuntime} holds what the sessions of one application share.
 * <p>
 * Sub-packages: {@code config} (sources, resolution, unit parsers) and {@code adapter} (one per server). May use the
 * API, the codecs and the Java and Jakarta APIs; never {@code org.sizeguard.app}, and no container class outside
 * its adapter.
 */
package org.sizeguard.internal;
