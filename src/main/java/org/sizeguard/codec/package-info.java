/**
 * Decoders and encoders for structured messages that stay within a {@link org.sizeguard.MessageSizePolicy}:
 * they count the message's bytes as they read it and check its {@link org.sizeguard.StructureLimits structure}
 * (nesting, element count, value sizes) before building anything from it, and refuse with a
 * {@link org.sizeguard.SizeguardCloseException} (1009 too big, 1007 undecodable) and nothing else.
 * <p>
 * JSON: {@link org.sizeguard.codec.JsonDecoder} (JSON-P streaming parser, then JSON-B),
 * {@link org.sizeguard.codec.JsonEncoder}, and {@link org.sizeguard.codec.JsonObjectDecoder} /
 * {@link org.sizeguard.codec.JsonObjectEncoder} for JSON-P objects. The JSON-P and JSON-B implementations are the
 * server's (both Payara and WildFly ship them). MessagePack: {@code MessagePackDecoder}, {@code MessagePackEncoder}
 * and the value decoder and encoder.
 */
package org.sizeguard.codec;
