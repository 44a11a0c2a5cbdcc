package io.telesignal.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.audit.AuditRecord;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.testkit.MutableClock;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

class AccountsTest {
    private final MutableClock clock = MutableClock.atEpochDay();
    private final InMemoryDirectory directory = new InMemoryDirectory();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private AuditTrail audit;
    private Accounts accounts;

    @BeforeEach
    void setUp() {
        SecureRandom random = new SecureRandom();
        PasswordHashes hashes = new PasswordHashes(Argon2idHasher.owaspDefaults(random), List.of());
        audit = new AuditTrail(log, clock, 100);
        accounts = new Accounts(directory, hashes, PasswordPolicy.DEFAULT, audit, clock);
    }

    @AfterEach
    void tearDown() {
        audit.close();
    }

    @Test
    void addedUserCanSignInAndIsAudited() {
        User alice = accounts.add(new Login("alice"), "Alice A.", Set.of(Role.PATIENT), "a long password".toCharArray(), "cli");

        assertThat(accounts.authenticate(new Login("alice"), "a long password".toCharArray(), "127.0.0.1")).contains(alice);
        assertThat(directory.credentials(alice.id())).isPresent();
        List<AuditRecord> records = log.read(0, 10);
        assertThat(records).extracting(r -> r.event().type()).containsExactly("user.created", "auth.password");
        assertThat(records.get(0).event().subject()).isEqualTo(alice.id().value());
        assertThat(records.get(1).event().outcome()).isEqualTo(Outcome.OK);
    }

    @Test
    void tokenOnlyAccountNeverSignsInWithAPasswordUntilItGetsOne() {
        User dora = accounts.addWithoutPassword(new Login("dora"), "Dora", Set.of(Role.PATIENT), "apikey.k1");

        assertThat(directory.credentials(dora.id())).isEmpty();
        assertThat(accounts.authenticate(new Login("dora"), "".toCharArray(), "127.0.0.1")).isEmpty();
        assertThat(accounts.authenticate(new Login("dora"), "not-a-real-password".toCharArray(), "127.0.0.1")).isEmpty();
        assertThatThrownBy(() -> accounts.addWithoutPassword(new Login("DORA"), "Other", Set.of(Role.PATIENT), "cli"))
                .isInstanceOf(LoginTakenException.class);
        accounts.setPassword(new Login("dora"), "doras new password".toCharArray(), "cli");
        assertThat(accounts.authenticate(new Login("dora"), "doras new password".toCharArray(), "127.0.0.1")).contains(dora);

        assertThat(log.read(0, 10)).extracting(r -> r.event().type() + ":" + r.event().outcome() + ":" + r.event().reason())
                .containsExactly("user.created:OK:null", "auth.password:FAILED:bad_credentials",
                        "auth.password:FAILED:bad_credentials", "user.created:FAILED:login_taken",
                        "user.password_changed:OK:null", "auth.password:OK:null");
    }

    @Test
    void guestsAreTokenOnly() {
        User guest = accounts.addGuest("Visitor", "invite:i1");

        assertThat(guest.login().value()).startsWith("guest-");
        assertThat(guest.roles()).containsExactly(Role.GUEST);
        assertThat(directory.credentials(guest.id())).isEmpty();
    }

    @Test
    void wrongPasswordUnknownLoginAndDisabledAccountAreRefusedAndAudited() {
        accounts.add(new Login("bob"), "Bob", Set.of(Role.PROVIDER), "bobs password1".toCharArray(), "cli");

        assertThat(accounts.authenticate(new Login("bob"), "not his password".toCharArray(), "10.0.0.1")).isEmpty();
        assertThat(accounts.authenticate(new Login("nobody"), "whatever1234".toCharArray(), "10.0.0.1")).isEmpty();
        accounts.setEnabled(new Login("bob"), false, "cli");
        assertThat(accounts.authenticate(new Login("bob"), "bobs password1".toCharArray(), "10.0.0.1")).isEmpty();

        assertThat(log.read(0, 10)).extracting(r -> r.event().type() + ":" + r.event().outcome() + ":" + r.event().reason())
                .containsExactly("user.created:OK:null", "auth.password:FAILED:bad_credentials",
                        "auth.password:FAILED:bad_credentials", "user.disabled:OK:null",
                        "auth.password:FAILED:account_disabled");
    }

    @Test
    void setPasswordReplacesTheHash() {
        User carol = accounts.add(new Login("carol"), "Carol", Set.of(Role.STAFF), "first password".toCharArray(), "cli");
        Credentials before = directory.credentials(carol.id()).orElseThrow();

        accounts.setPassword(new Login("carol"), "second password".toCharArray(), "cli");

        Credentials after = directory.credentials(carol.id()).orElseThrow();
        assertThat(after.passwordHash()).isNotEqualTo(before.passwordHash()).doesNotContain("second password");
        assertThat(accounts.authenticate(new Login("carol"), "first password".toCharArray(), null)).isEmpty();
        assertThat(accounts.authenticate(new Login("carol"), "second password".toCharArray(), null)).isPresent();
    }

    @Test
    void shortPasswordIsRefusedAndNothingIsStored() {
        assertThatThrownBy(() -> accounts.add(new Login("dave"), "Dave", Set.of(), "short".toCharArray(), "cli"))
                .isInstanceOf(InvalidPasswordException.class);
        assertThat(directory.findByLogin(new Login("dave"))).isEmpty();
        assertThat(log.read(0, 10)).extracting(r -> r.event().reason()).containsExactly("invalid_password");
    }

    @Test
    void duplicateLoginIsRefused() {
        accounts.add(new Login("erin"), "Erin", Set.of(), "a long password".toCharArray(), "cli");
        assertThatThrownBy(() -> accounts.add(new Login("Erin"), "Erin 2", Set.of(), "a long password".toCharArray(), "cli"))
                .isInstanceOf(LoginTakenException.class);
    }

    @Test
    void rolesAreReplacedAndAudited() {
        accounts.add(new Login("frank"), "Frank", Set.of(Role.PATIENT), "a long password".toCharArray(), "admin1");
        User updated = accounts.setRoles(new Login("frank"), Set.of(Role.PROVIDER, Role.ADMIN), "admin1");

        assertThat(updated.roles()).containsExactlyInAnyOrder(Role.PROVIDER, Role.ADMIN);
        assertThat(accounts.require(new Login("frank")).roles()).containsExactlyInAnyOrder(Role.PROVIDER, Role.ADMIN);
        assertThat(log.read(1, 1).get(0).event().type()).isEqualTo("user.roles_changed");
    }

    @Test
    void changesAreRecordedBeforeTheyAreMadeAndFailuresFollow() {
        Directory failing = new Directory() {
            @Override
            public void create(User user, java.util.Optional<Credentials> credentials) {
                throw new IllegalStateException("disk full");
            }

            @Override
            public java.util.Optional<User> findById(io.telesignal.core.identity.UserId id) {
                return directory.findById(id);
            }

            @Override
            public java.util.Optional<User> findByLogin(Login login) {
                return directory.findByLogin(login);
            }

            @Override
            public List<User> list(int offset, int limit) {
                return directory.list(offset, limit);
            }

            @Override
            public void update(User user) {
                directory.update(user);
            }

            @Override
            public java.util.Optional<Credentials> credentials(io.telesignal.core.identity.UserId id) {
                return directory.credentials(id);
            }

            @Override
            public void storeCredentials(io.telesignal.core.identity.UserId id, Credentials credentials) {
                directory.storeCredentials(id, credentials);
            }

            @Override
            public void ping() {
            }
        };
        SecureRandom random = new SecureRandom();
        PasswordHashes hashes = new PasswordHashes(Argon2idHasher.owaspDefaults(random), List.of());
        Accounts onFailingStore = new Accounts(failing, hashes, PasswordPolicy.DEFAULT, audit, clock);

        assertThatThrownBy(() -> onFailingStore.add(new Login("gina"), "Gina", Set.of(), "a long password".toCharArray(),
                "cli")).hasMessageContaining("disk full");

        assertThat(log.read(0, 10)).extracting(r -> r.event().type() + ":" + r.event().outcome() + ":" + r.event().reason())
                .containsExactly("user.created:OK:null", "user.created:FAILED:internal_error");
        assertThat(log.read(0, 10).get(1).event().subject()).isEqualTo(log.read(0, 10).get(0).event().subject());
    }

    @Test
    void nothingChangesWhenTheAuditTrailCannotRecord() {
        audit.close();
        assertThatThrownBy(() -> accounts.add(new Login("hank"), "Hank", Set.of(), "a long password".toCharArray(), "cli"))
                .isInstanceOf(io.telesignal.core.audit.AuditUnavailableException.class);
        assertThat(directory.findByLogin(new Login("hank"))).isEmpty();
    }

    @Test
    void operationsOnUnknownUserFail() {
        assertThatThrownBy(() -> accounts.setRoles(new Login("ghost"), Set.of(), "cli"))
                .isInstanceOf(UserNotFoundException.class);
        assertThatThrownBy(() -> accounts.setPassword(new Login("ghost"), "a long password".toCharArray(), "cli"))
                .isInstanceOf(UserNotFoundException.class);
    }
}
