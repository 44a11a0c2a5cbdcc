package io.telesignal.store;

import io.telesignal.core.invite.InviteRedemptions;
import io.telesignal.core.invite.InviteRedemptionsContract;
import org.junit.jupiter.api.extension.RegisterExtension;

/** The contract on an H2 file; {@code JdbcInviteRedemptionsPostgresTest} runs it on PostgreSQL. */
class JdbcInviteRedemptionsTest extends InviteRedemptionsContract {
    @RegisterExtension
    final StoreFixtureExtension database = new StoreFixtureExtension(this::kind);

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @Override
    protected InviteRedemptions redemptions() {
        return database.store().inviteRedemptions();
    }
}
