package io.telesignal.core.invite;

class InMemoryInviteRedemptionsTest extends InviteRedemptionsContract {
    private final InMemoryInviteRedemptions redemptions = new InMemoryInviteRedemptions();

    @Override
    protected InviteRedemptions redemptions() {
        return redemptions;
    }
}
