package io.telesignal.core.directory;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.TestCredentials;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link Directory} implementation must do; each implementation's test extends this. */
public abstract class DirectoryContract {
    protected static final Instant T0 = Instant.parse("2026-03-01T10:00:00.123456Z");

    protected abstract Directory directory();

    protected static User user(String login, Role... roles) {
        return new User(UserId.random(), new Login(login), "Display " + login, Set.of(roles), true, T0);
    }

    @Test
    void createdUserIsFoundByIdAndLogin() {
        User alice = user("alice", Role.PATIENT);
        directory().create(alice, TestCredentials.sample("a", T0));

        assertThat(directory().findById(alice.id())).contains(alice);
        assertThat(directory().findByLogin(new Login("ALICE"))).contains(alice);
        assertThat(directory().findByLogin(new Login("bob"))).isEmpty();
    }

    @Test
    void tokenOnlyUserHasNoCredentialsUntilOneIsStored() {
        User carol = user("carol", Role.PATIENT);
        directory().create(carol, java.util.Optional.empty());

        assertThat(directory().findByLogin(new Login("carol"))).contains(carol);
        assertThat(directory().credentials(carol.id())).isEmpty();
        Credentials later = TestCredentials.sample("c", T0);
        directory().storeCredentials(carol.id(), later);
        assertThat(directory().credentials(carol.id())).isPresent();
    }

    @Test
    void secondUserWithSameLoginIsRefused() {
        directory().create(user("alice", Role.PATIENT), TestCredentials.sample("a", T0));

        assertThatThrownBy(() -> directory().create(user("alice", Role.PROVIDER), TestCredentials.sample("b", T0)))
                .isInstanceOf(LoginTakenException.class);
        assertThat(directory().list(0, 10)).hasSize(1);
    }

    @Test
    void listIsOrderedByLoginAndPaged() {
        for (String login : new String[] {"carol", "alice", "dave", "bob"}) {
            directory().create(user(login, Role.STAFF), TestCredentials.sample(login, T0));
        }

        assertThat(directory().list(0, 10)).extracting(u -> u.login().value())
                .containsExactly("alice", "bob", "carol", "dave");
        assertThat(directory().list(1, 2)).extracting(u -> u.login().value()).containsExactly("bob", "carol");
    }

    @Test
    void updateReplacesRolesAndEnabledFlag() {
        User bob = user("bob", Role.PATIENT);
        directory().create(bob, TestCredentials.sample("b", T0));

        User changed = bob.withRoles(Set.of(Role.PROVIDER, Role.ADMIN)).withEnabled(false).withDisplayName("Dr B");
        directory().update(changed);

        assertThat(directory().findById(bob.id())).contains(changed);
    }

    @Test
    void updateOfUnknownUserFails() {
        assertThatThrownBy(() -> directory().update(user("ghost", Role.GUEST)))
                .isInstanceOf(UserNotFoundException.class);
    }

    @Test
    void credentialsAreStoredAndReplaced() {
        User bob = user("bob", Role.PATIENT);
        Credentials first = TestCredentials.sample("first", T0);
        directory().create(bob, first);
        assertThat(directory().credentials(bob.id())).contains(first);

        Credentials second = TestCredentials.sample("second", T0.plus(1, ChronoUnit.HOURS));
        directory().storeCredentials(bob.id(), second);

        assertThat(directory().credentials(bob.id())).contains(second);
    }

    @Test
    void credentialsForUnknownUserAreRefused() {
        assertThatThrownBy(() -> directory().storeCredentials(UserId.random(), TestCredentials.sample("x", T0)))
                .isInstanceOf(UserNotFoundException.class);
        assertThat(directory().credentials(UserId.random())).isEmpty();
    }

    @Test
    void concurrentCreatesOfOneLoginLetExactlyOneWin() throws Exception {
        java.util.concurrent.ExecutorService pool = java.util.concurrent.Executors.newFixedThreadPool(4);
        try {
            java.util.List<java.util.concurrent.Future<Boolean>> attempts = new java.util.ArrayList<>();
            java.util.concurrent.CountDownLatch go = new java.util.concurrent.CountDownLatch(1);
            for (int i = 0; i < 8; i++) {
                attempts.add(pool.submit(() -> {
                    go.await();
                    try {
                        directory().create(user("race", Role.PATIENT), TestCredentials.sample("r", T0));
                        return true;
                    } catch (LoginTakenException e) {
                        return false;
                    }
                }));
            }
            go.countDown();
            int winners = 0;
            for (java.util.concurrent.Future<Boolean> attempt : attempts) {
                winners += attempt.get() ? 1 : 0;
            }
            assertThat(winners).isEqualTo(1);
            assertThat(directory().list(0, 10)).hasSize(1);
        } finally {
            pool.shutdown();
        }
    }

    @Test
    void pingAnswersWhenReachable() {
        directory().ping();
    }
}
