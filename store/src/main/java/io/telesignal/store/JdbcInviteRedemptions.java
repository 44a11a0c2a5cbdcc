package io.telesignal.store;

import io.telesignal.core.invite.InviteRedemptions;
import java.sql.PreparedStatement;
import java.sql.SQLException;
import java.sql.Savepoint;
import java.time.Instant;

/** Used invites in table {@code invite_redemptions}; its primary key decides races between nodes. */
public final class JdbcInviteRedemptions implements InviteRedemptions {
    private final Transactions tx;

    JdbcInviteRedemptions(Transactions tx) {
        this.tx = tx;
    }

    @Override
    public boolean redeem(String inviteId, Instant at, Instant expiresAt) {
        return tx.inTransaction("redeem invite", c -> {
            Savepoint before = c.setSavepoint();
            try (PreparedStatement insert = c.prepareStatement(
                    "INSERT INTO invite_redemptions (invite_id, redeemed_at, expires_at) VALUES (?, ?, ?)")) {
                insert.setString(1, inviteId);
                insert.setObject(2, JdbcDirectory.utc(at));
                insert.setObject(3, JdbcDirectory.utc(expiresAt));
                insert.executeUpdate();
                return true;
            } catch (SQLException e) {
                // SQLState class 23: the invite id is there already, so it was used
                if (Transactions.constraintViolated(e)) {
                    c.rollback(before);
                    return false;
                }
                throw e;
            }
        });
    }

    @Override
    public boolean redeemed(String inviteId) {
        return tx.read("invite redeemed", c -> {
            try (PreparedStatement query = c.prepareStatement(
                    "SELECT 1 FROM invite_redemptions WHERE invite_id = ?")) {
                query.setString(1, inviteId);
                try (java.sql.ResultSet rs = query.executeQuery()) {
                    return rs.next();
                }
            }
        });
    }

    @Override
    public int purgeExpired(Instant now) {
        return tx.inTransaction("purge invite redemptions", c -> {
            try (PreparedStatement delete = c.prepareStatement("DELETE FROM invite_redemptions WHERE expires_at < ?")) {
                delete.setObject(1, JdbcDirectory.utc(now));
                return delete.executeUpdate();
            }
        });
    }
}
