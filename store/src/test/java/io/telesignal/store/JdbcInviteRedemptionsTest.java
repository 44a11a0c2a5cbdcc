package io.telesignal.store;

import io.telesignal.core.invite.InviteRedemptions;
import io.telesignal.core.invite.InviteRedemptionsContract;
import java.nio.file.Path;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.io.TempDir;

/** The contract on an H2 file; {@code JdbcInviteRedemptionsPostgresTest} runs it on PostgreSQL. */
class JdbcInviteRedemptionsTest extends InviteRedemptionsContract {
    @TempDir
    Path dir;
    private StoreFixture fixture;

    @BeforeEach
    void open() {
        fixture = new StoreFixture(kind(), dir);
    }

    StoreFixture.Kind kind() {
        return StoreFixture.Kind.H2;
    }

    @AfterEach
    void close() {
        fixture.close();
    }

    @Override
    protected InviteRedemptions redemptions() {
        return fixture.store().inviteRedemptions();
    }
}
