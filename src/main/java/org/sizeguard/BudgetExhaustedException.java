package org.sizeguard;

import jakarta.websocket.CloseReason.CloseCodes;

/**
 * A server-wide budget is spent: close code 1013 (TRY_AGAIN_LATER), with a reason naming the budget and its size,
 * e.g. {@code "server budget of 134217728 buffered bytes is spent"}. The client did nothing wrong and may retry
 * later; the session that would have taken the server over the budget is the one closed, the others keep working.
 */
public class BudgetExhaustedException extends SizeguardCloseException {

    private static final long serialVersionUID = 1L;

    public BudgetExhaustedException(String budget, long size) {
        super(CloseCodes.TRY_AGAIN_LATER, "server budget of " + size + " " + budget + " is spent", null);
    }
}
