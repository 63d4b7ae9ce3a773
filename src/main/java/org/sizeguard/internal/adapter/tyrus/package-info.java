/**
 * The Tyrus adapter (Payara): a servlet filter wraps the upgrade of every WebSocket connection so that its input
 * passes a {@link org.sizeguard.internal.adapter.tyrus.FrameRelay} before Tyrus reads it. The relay enforces RFC 6455
 * framing (1002), refuses a message over its limit from its frame header (1009), and hands Tyrus fragments of at most
 * 64 KiB. Uses the Servlet API only; Tyrus is named by package only, to recognise its upgrade handler.
 */
package org.sizeguard.internal.adapter.tyrus;
