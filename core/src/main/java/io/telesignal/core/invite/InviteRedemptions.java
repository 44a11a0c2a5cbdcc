package io.telesignal.core.invite;

import java.time.Instant;

/** SPI: which invites were used. Blocking. */
public interface InviteRedemptions {
    /** Records the invite as used; answers false when it was used before (atomically, across nodes). */
    boolean redeem(String inviteId, Instant at, Instant expiresAt);

    /** Whether the invite was used (for telling its holder before they try). */
    boolean redeemed(String inviteId);

    /** Forgets redemptions of invites that have expired anyway; answers how many. */
    int purgeExpired(Instant now);
}
