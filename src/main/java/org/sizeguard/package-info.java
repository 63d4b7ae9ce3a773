/**
 * Sizeguard's API: what an endpoint author touches. {@link org.sizeguard.SizePolicy} selects a policy for an
 * endpoint; {@link org.sizeguard.MessageSizePolicy}, {@link org.sizeguard.StructureLimits} and
 * {@link org.sizeguard.ServerLimits} are the effective limits (immutable records, injectable through CDI);
 * {@link org.sizeguard.MessageRejected} is the CDI event of every refusal; the subclasses of
 * {@link org.sizeguard.SizeguardCloseException} carry their close code and reason; {@link org.sizeguard.SizePolicies}
 * and {@link org.sizeguard.SizeguardStats} read the deployed policies and what Sizeguard holds now (read-only: their
 * mutable side is internal). The configuration keys are declared in {@code internal.config} and listed in the README.
 * <p>
 * May use: the Java and Jakarta APIs only, nothing of the implementation (enforced by {@code CoreArchitectureTest}).
 */
package org.sizeguard;

import org.sizeguard.internal.ServerLimits;
