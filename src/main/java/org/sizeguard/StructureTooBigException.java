package org.sizeguard;

import jakarta.websocket.CloseReason.CloseCodes;

/**
 * A structured message broke one of its {@link StructureLimits}: close code 1009 (TOO_BIG), with a reason naming
 * the rule and the limit, e.g. {@code "JSON nesting exceeds 64 levels"} or
 * {@code "MessagePack array of 4294967295 elements exceeds 100000 elements"}.
 */
public class StructureTooBigException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    public StructureTooBigException(String reasonPhrase) {
        super(CloseCodes.TOO_BIG, reasonPhrase, null);
    }
}
