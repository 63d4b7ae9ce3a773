/**
 * Chunked transfers (docs/transfer-protocol.md): payloads of any size sent as messages within an endpoint's limits,
 * acknowledged, verified with SHA-256, spilled to disk as they arrive, resumable after a dropped connection. An
 * endpoint takes them with one {@link org.sizeguard.transfer.OnTransfer} method, which receives a completed and
 * verified {@link org.sizeguard.transfer.ReceivedTransfer}; {@link org.sizeguard.transfer.TransferClient} sends them
 * from Java.
 */
package org.sizeguard.transfer;
