package io.telesignal.core.call;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class IceServersTest {
    private final MutableClock clock = new MutableClock(Instant.ofEpochSecond(1_699_996_400));

    @Test
    void turnCredentialsAreWhatCoturnsUseAuthSecretExpects() {
        IceServers servers = new IceServers(List.of("stun:stun.example.org:3478"),
                List.of("turn:turn.example.org:3478?transport=udp", "turns:turn.example.org:5349"), "s3cret",
                Duration.ofSeconds(3600), clock);

        List<IceServers.Server> list = servers.forUser(new UserId("alice"));

        assertThat(list).hasSize(2);
        assertThat(list.get(0).urls()).containsExactly("stun:stun.example.org:3478");
        assertThat(list.get(0).username()).isNull();
        IceServers.Server turn = list.get(1);
        assertThat(turn.username()).isEqualTo("1700000000:alice");
        // echo -n "1700000000:alice" | openssl dgst -sha1 -hmac "s3cret" -binary | base64
        assertThat(turn.credential()).isEqualTo("TtElzSjT0GdnTQ9xdcRNxx96yQs=");
    }

    @Test
    void nothingConfiguredMeansNoServers() {
        assertThat(IceServers.none(clock).forUser(new UserId("alice"))).isEmpty();
    }

    @Test
    void turnWithoutSecretIsRefused() {
        assertThatThrownBy(() -> new IceServers(List.of(), List.of("turn:x"), "", Duration.ofHours(1), clock))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
