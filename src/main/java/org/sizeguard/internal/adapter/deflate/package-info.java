/**
 * permessage-deflate (RFC 7692) as both adapters do it: the parameters Sizeguard accepts and answers
 * ({@link org.sizeguard.internal.adapter.deflate.PermessageDeflate}), the inflation of one message within its limit
 * ({@link org.sizeguard.internal.adapter.deflate.InflatingMessage}) and the compression of one reply
 * ({@link org.sizeguard.internal.adapter.deflate.DeflatingMessage}) with the application's
 * {@link org.sizeguard.internal.adapter.deflate.DeflaterPool}. No container's classes: each adapter feeds these from
 * its own frames.
 */
package org.sizeguard.internal.adapter.deflate;
