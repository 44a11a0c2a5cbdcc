package io.telesignal.core.auth;

import java.net.URL;
import java.time.Duration;
import java.util.Objects;
import java.util.Optional;

/**
 * Token issuing and validation settings.
 *
 * @param issuer   {@code iss} of tokens this server issues
 * @param audience {@code aud} of tokens this server issues and requires
 * @param ttl      default lifetime of issued tokens
 * @param maxTtl   the longest lifetime a caller may ask for
 * @param clockSkew tolerance for {@code exp}, {@code nbf} and {@code iat}
 * @param external an identity provider whose tokens are accepted too
 */
public record TokenSettings(String issuer, String audience, Duration ttl, Duration maxTtl, Duration clockSkew,
        Optional<ExternalIssuer> external) {
    public TokenSettings {
        Objects.requireNonNull(issuer, "issuer");
        Objects.requireNonNull(audience, "audience");
        Objects.requireNonNull(external, "external");
        if (ttl.isNegative() || ttl.isZero() || ttl.compareTo(maxTtl) > 0) {
            throw new IllegalArgumentException("ttl must be positive and at most maxTtl");
        }
        if (clockSkew.isNegative()) {
            throw new IllegalArgumentException("clockSkew must not be negative");
        }
    }

    /**
     * An external issuer (an OpenID provider, a platform's auth service) whose RS256/ES256 tokens are accepted.
     *
     * @param loginClaim the claim that holds the user's telesignal login
     */
    public record ExternalIssuer(String issuer, String audience, URL jwksUrl, String loginClaim) {
        public ExternalIssuer {
            Objects.requireNonNull(issuer, "issuer");
            Objects.requireNonNull(audience, "audience");
            Objects.requireNonNull(jwksUrl, "jwksUrl");
            Objects.requireNonNull(loginClaim, "loginClaim");
        }
    }
}
