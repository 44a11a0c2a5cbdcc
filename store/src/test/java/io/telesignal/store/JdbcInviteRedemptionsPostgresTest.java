package io.telesignal.store;

/** The invite redemptions contract on a fresh PostgreSQL schema. */
class JdbcInviteRedemptionsPostgresTest extends JdbcInviteRedemptionsTest {
    @Override
    StoreFixture.Kind kind() {
        return StoreFixture.Kind.POSTGRES;
    }
}
