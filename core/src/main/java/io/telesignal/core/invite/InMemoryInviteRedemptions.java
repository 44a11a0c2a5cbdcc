package io.telesignal.core.invite;

import java.time.Instant;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;

/** Redemptions of a single node. */
public final class InMemoryInviteRedemptions implements InviteRedemptions {
    private final Map<String, Instant> used = new ConcurrentHashMap<>();

    @Override
    public boolean redeem(String inviteId, Instant at, Instant expiresAt) {
        return used.putIfAbsent(inviteId, expiresAt) == null;
    }

    @Override
    public boolean redeemed(String inviteId) {
        return used.containsKey(inviteId);
    }

    @Override
    public int purgeExpired(Instant now) {
        int before = used.size();
        used.values().removeIf(expires -> expires.isBefore(now));
        return before - used.size();
    }
}
