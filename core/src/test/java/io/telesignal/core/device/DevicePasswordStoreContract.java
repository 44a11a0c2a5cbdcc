package io.telesignal.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.device.DevicePasswordStore.CreateOutcome;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link DevicePasswordStore} must do. */
public abstract class DevicePasswordStoreContract {
    private static final Instant T0 = Instant.parse("2026-03-01T10:00:00Z");

    protected abstract DevicePasswordStore store();

    /** Makes a user the store can hold device passwords for. */
    protected abstract UserId newUser(String login);

    @Test
    void aUsersFirstParametersStayTheirsUntilTheLastDeviceGoes() {
        UserId alice = newUser("alice");
        ScramParameters first = parameters(1, 4096);
        assertThat(store().scramParameters(alice)).isEmpty();
        assertThat(store().scramParameters(alice, first)).isEqualTo(first);
        assertThat(store().scramParameters(alice, parameters(2, 8192))).isEqualTo(first);

        assertThat(store().create(device("d1", alice, first, T0), 5)).isEqualTo(CreateOutcome.CREATED);
        assertThat(store().create(device("d2", alice, first, T0.plusSeconds(1)), 5)).isEqualTo(CreateOutcome.CREATED);
        assertThat(store().delete(alice, "d1")).isTrue();
        assertThat(store().scramParameters(alice)).contains(first);
        assertThat(store().delete(alice, "d2")).isTrue();
        assertThat(store().scramParameters(alice)).isEmpty();
        assertThat(store().scramParameters(alice, parameters(2, 8192))).isEqualTo(parameters(2, 8192));
    }

    @Test
    void devicesAreStoredListedTouchedAndDeleted() {
        UserId bob = newUser("bob");
        UserId carol = newUser("carol");
        ScramParameters p = store().scramParameters(bob, parameters(3, 4096));
        DevicePassword desk = device("desk", bob, p, T0);
        DevicePassword phone = device("phone", bob, p, T0.plusSeconds(5));
        store().create(phone, 5);
        store().create(desk, 5);

        assertThat(store().list(bob)).containsExactly(desk, phone);
        assertThat(store().list(carol)).isEmpty();
        store().markUsed("desk", T0.plusSeconds(60));
        assertThat(store().list(bob).get(0).lastUsedAt()).contains(T0.plusSeconds(60));
        assertThat(store().delete(carol, "desk")).as("another user's device").isFalse();
        assertThat(store().delete(bob, "nope")).isFalse();
        assertThat(store().delete(bob, "desk")).isTrue();
        assertThat(store().list(bob)).containsExactly(phone);
    }

    @Test
    void theLimitAndTheParametersAreCheckedAtCreation() {
        UserId dan = newUser("dan");
        ScramParameters p = store().scramParameters(dan, parameters(4, 4096));
        assertThat(store().create(device("one", dan, p, T0), 2)).isEqualTo(CreateOutcome.CREATED);
        assertThat(store().create(device("two", dan, p, T0), 2)).isEqualTo(CreateOutcome.CREATED);
        assertThat(store().create(device("three", dan, p, T0), 2)).isEqualTo(CreateOutcome.LIMIT_REACHED);
        assertThat(store().create(device("four", dan, parameters(5, 4096), T0), 9))
                .isEqualTo(CreateOutcome.PARAMETERS_CHANGED);
        UserId erin = newUser("erin");
        assertThat(store().create(device("five", erin, p, T0), 9)).as("no parameters yet")
                .isEqualTo(CreateOutcome.PARAMETERS_CHANGED);
        assertThat(store().create(device("six", UserId.random(), p, T0), 9)).isEqualTo(CreateOutcome.USER_NOT_FOUND);
        assertThat(store().list(dan)).extracting(DevicePassword::id).containsExactly("one", "two");
    }

    private static ScramParameters parameters(int seed, int iterations) {
        byte[] salt = new byte[16];
        salt[0] = (byte) seed;
        return new ScramParameters(salt, iterations);
    }

    private static DevicePassword device(String id, UserId user, ScramParameters p, Instant at) {
        byte[] stored = new byte[32];
        byte[] server = new byte[32];
        stored[0] = (byte) id.length();
        server[1] = (byte) id.hashCode();
        return new DevicePassword(id, user, "label " + id,
                new SipDigestCredentials("telesignal", "md5-" + id, "sha256-" + id),
                new ScramCredentials(p.salt(), p.iterations(), stored, server),
                Optional.of(new ScramCredentials(p.salt(), p.iterations(), java.util.Arrays.copyOf(stored, 20),
                        java.util.Arrays.copyOf(server, 20))),
                T0.isBefore(at) ? at : T0, Optional.empty());
    }
}
