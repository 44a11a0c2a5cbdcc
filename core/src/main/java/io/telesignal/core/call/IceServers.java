package io.telesignal.core.call;

import io.telesignal.core.identity.UserId;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Objects;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * The STUN and TURN servers a client should use, with ephemeral TURN credentials in the form of the "TURN REST
 * API" (draft-uberti-behave-turn-rest-00) that coturn checks with {@code use-auth-secret}: username
 * {@code <expiry unix time>:<user id>}, credential {@code base64(HMAC-SHA1(shared secret, username))}.
 * Credentials name the user (for the TURN server's logs and quotas) and lapse on their own; no state is kept.
 */
public final class IceServers {
    /** One entry of RTCConfiguration.iceServers. */
    public record Server(List<String> urls, String username, String credential) {
        public Server {
            urls = List.copyOf(urls);
        }
    }

    private final List<String> stunUrls;
    private final List<String> turnUrls;
    private final byte[] secret;
    private final Duration ttl;
    private final Clock clock;

    public IceServers(List<String> stunUrls, List<String> turnUrls, String secret, Duration ttl, Clock clock) {
        this.stunUrls = List.copyOf(stunUrls);
        this.turnUrls = List.copyOf(turnUrls);
        this.secret = Objects.requireNonNull(secret, "secret").getBytes(StandardCharsets.UTF_8);
        this.ttl = ttl;
        this.clock = clock;
        if (!turnUrls.isEmpty() && secret.isEmpty()) {
            throw new IllegalArgumentException("TURN URLs need the shared secret");
        }
    }

    public static IceServers none(Clock clock) {
        return new IceServers(List.of(), List.of(), "", Duration.ofHours(1), clock);
    }

    public List<Server> forUser(UserId user) {
        List<Server> servers = new ArrayList<>();
        if (!stunUrls.isEmpty()) {
            servers.add(new Server(stunUrls, null, null));
        }
        if (!turnUrls.isEmpty()) {
            String username = clock.instant().plus(ttl).getEpochSecond() + ":" + user.value();
            servers.add(new Server(turnUrls, username, credential(username)));
        }
        return servers;
    }

    String credential(String username) {
        try {
            Mac mac = Mac.getInstance("HmacSHA1");
            mac.init(new SecretKeySpec(secret, "HmacSHA1"));
            return Base64.getEncoder().encodeToString(mac.doFinal(username.getBytes(StandardCharsets.UTF_8)));
        } catch (GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA1 is a required JDK algorithm", e);
        }
    }
}
