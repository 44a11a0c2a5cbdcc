package io.telesignal.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.directory.Credentials;
import io.telesignal.core.directory.Directory;
import io.telesignal.core.directory.InMemoryDirectory;
import io.telesignal.core.directory.PasswordHashes;
import io.telesignal.core.directory.PasswordPolicy;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Signing in with a token: the enabled users it found lately are kept a short while, and a disabled one is not. */
class TokenSignInTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final AtomicInteger reads = new AtomicInteger();
    private final InMemoryDirectory inner = new InMemoryDirectory();
    private final Directory counting = new Directory() {
        @Override
        public void create(User user, Optional<Credentials> credentials) {
            inner.create(user, credentials);
        }

        @Override
        public Optional<User> findById(UserId id) {
            reads.incrementAndGet();
            return inner.findById(id);
        }

        @Override
        public Optional<User> findByLogin(Login login) {
            return inner.findByLogin(login);
        }

        @Override
        public List<User> list(int offset, int limit) {
            return inner.list(offset, limit);
        }

        @Override
        public void update(User user) {
            inner.update(user);
        }

        @Override
        public Optional<Credentials> credentials(UserId id) {
            return inner.credentials(id);
        }

        @Override
        public void storeCredentials(UserId id, Credentials credentials) {
            inner.storeCredentials(id, credentials);
        }

        @Override
        public void ping() {}
    };
    private final AuditTrail audit = new AuditTrail(new InMemoryAuditLog(), clock, 100);
    private final Accounts accounts = new Accounts(counting,
            new PasswordHashes(Argon2idHasher.owaspDefaults(new SecureRandom()), List.of()), PasswordPolicy.DEFAULT,
            audit, clock);
    private final TokenService tokens = new TokenService(new SigningKey.Hs256(new byte[32]),
            new TokenSettings("telesignal", "telesignal", Duration.ofMinutes(15), Duration.ofDays(1),
                    Duration.ofSeconds(30), Optional.empty()), clock);
    private final SignInThrottle throttle = new SignInThrottle(new InMemoryFailureCounters(1000),
            new SignInThrottle.Settings(3, 10, Duration.ofSeconds(1), Duration.ofSeconds(30), Duration.ofMinutes(10)),
            clock);

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void anEnabledUserIsKeptForTheTtlAndADisabledOneIsRefusedAtOnce() throws Exception {
        TokenSignIn signIn = new TokenSignIn(tokens, accounts, throttle, audit, Duration.ofSeconds(5));
        User alice = accounts.addWithoutPassword(new Login("alice"), "Alice", Set.of(Role.PATIENT), "test");
        String token = tokens.issue(alice.id(), alice.roles(), Optional.empty()).jwt();

        assertThat(signIn.authenticate(token, "192.0.2.1").id()).isEqualTo(alice.id());
        int afterFirst = reads.get();
        for (int i = 0; i < 10; i++) {
            assertThat(signIn.authenticate(token, "192.0.2.1").id()).isEqualTo(alice.id());
        }
        assertThat(reads.get()).as("read from the store once, not at every hello").isEqualTo(afterFirst);

        accounts.setEnabled(new Login("alice"), false, "admin"); // through this node: dropped at once
        assertThatThrownBy(() -> signIn.authenticate(token, "192.0.2.1"))
                .isInstanceOfSatisfying(TokenSignIn.Refused.class, e -> assertThat(e.code()).isEqualTo("account_disabled"));
        assertThatThrownBy(() -> signIn.authenticate(token, "192.0.2.1")).isInstanceOf(TokenSignIn.Refused.class);
    }

    @Test
    void aBadTokenIsRefusedEvenForAUserKept() {
        TokenSignIn signIn = new TokenSignIn(tokens, accounts, throttle, audit, Duration.ofSeconds(5));
        User bob = accounts.addWithoutPassword(new Login("bob"), "Bob", Set.of(Role.PATIENT), "test");
        signIn.authenticate(tokens.issue(bob.id(), bob.roles(), Optional.empty()).jwt(), "192.0.2.1");
        String forged = tokens.issue(bob.id(), bob.roles(), Optional.empty()).jwt() + "x";
        assertThatThrownBy(() -> signIn.authenticate(forged, "192.0.2.1")).isInstanceOf(TokenRejectedException.class);
    }

    @Test
    void aZeroTtlReadsTheStoreEveryTime() {
        TokenSignIn signIn = new TokenSignIn(tokens, accounts, throttle, audit, Duration.ZERO);
        User carol = accounts.addWithoutPassword(new Login("carol"), "Carol", Set.of(Role.PATIENT), "test");
        String token = tokens.issue(carol.id(), carol.roles(), Optional.empty()).jwt();
        signIn.authenticate(token, "192.0.2.1");
        int afterFirst = reads.get();
        signIn.authenticate(token, "192.0.2.1");
        assertThat(reads.get()).isEqualTo(afterFirst + 1);
    }
}
