package io.telesignal.core.auth;

import com.nimbusds.jose.JOSEException;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.JWSSigner;
import com.nimbusds.jose.JWSVerifier;
import com.nimbusds.jose.KeySourceException;
import com.nimbusds.jose.crypto.ECDSASigner;
import com.nimbusds.jose.crypto.ECDSAVerifier;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.crypto.RSASSAVerifier;
import com.nimbusds.jose.jwk.source.JWKSource;
import com.nimbusds.jose.jwk.source.JWKSourceBuilder;
import com.nimbusds.jose.proc.BadJOSEException;
import com.nimbusds.jose.proc.BadJWSException;
import com.nimbusds.jose.proc.JWSVerificationKeySelector;
import com.nimbusds.jose.proc.SecurityContext;
import com.nimbusds.jwt.JWT;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.JWTParser;
import com.nimbusds.jwt.SignedJWT;
import com.nimbusds.jwt.proc.DefaultJWTProcessor;
import io.telesignal.core.auth.TokenRejectedException.Reason;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.text.ParseException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.Date;
import java.util.EnumSet;
import java.util.HexFormat;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.UUID;

/**
 * Issues this server's access tokens and verifies them and, when configured, an external issuer's.
 *
 * <p>Algorithm: parse; refuse anything but a JWS ({@code alg=none} and JWE are {@code UNSIGNED}); pick the
 * issuer's verification path by the (as yet unverified) {@code iss}; require that path's algorithm before
 * touching any key, which closes the RS256/HS256 key-confusion hole; verify the signature; then check the
 * claims against the injected clock. Nimbus' own claims verifier is not used: it reads the system clock and
 * reports problems only as message text.
 */
public final class TokenService {
    private static final String ROLES_CLAIM = "roles";

    private final TokenSettings settings;
    private final Clock clock;
    private final JWSAlgorithm algorithm;
    private final JWSSigner signer;
    private final JWSVerifier verifier;
    private final String keyId;
    private final Optional<DefaultJWTProcessor<SecurityContext>> externalProcessor;

    public TokenService(SigningKey key, TokenSettings settings, Clock clock) {
        this.settings = settings;
        this.clock = clock;
        try {
            if (key instanceof SigningKey.Hs256 hs) {
                algorithm = JWSAlgorithm.HS256;
                signer = new MACSigner(hs.secret());
                verifier = new MACVerifier(hs.secret());
                keyId = "hs256-" + fingerprint(hs.secret());
            } else if (key instanceof SigningKey.Rs256 rs) {
                algorithm = JWSAlgorithm.RS256;
                signer = new RSASSASigner(rs.privateKey());
                verifier = new RSASSAVerifier(rs.publicKey());
                keyId = "rs256-" + fingerprint(rs.publicKey().getEncoded());
            } else if (key instanceof SigningKey.Es256 es) {
                algorithm = JWSAlgorithm.ES256;
                signer = new ECDSASigner(es.privateKey());
                verifier = new ECDSAVerifier(es.publicKey());
                keyId = "es256-" + fingerprint(es.publicKey().getEncoded());
            } else {
                throw new IllegalArgumentException("unknown signing key " + key.getClass());
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable signing key", e);
        }
        this.externalProcessor = settings.external().map(TokenService::externalProcessor);
        probe();
    }

    /** Signs and verifies a throw-away token, so that a mismatched or unusable key pair fails at start. */
    private void probe() {
        try {
            SignedJWT jwt = new SignedJWT(new JWSHeader(algorithm), new JWTClaimsSet.Builder().subject("probe").build());
            jwt.sign(signer);
            if (!jwt.verify(verifier)) {
                throw new IllegalArgumentException("the " + algorithm + " private and public keys do not match");
            }
        } catch (JOSEException e) {
            throw new IllegalArgumentException("unusable " + algorithm + " key", e);
        }
    }

    private static DefaultJWTProcessor<SecurityContext> externalProcessor(TokenSettings.ExternalIssuer external) {
        JWKSource<SecurityContext> keys = JWKSourceBuilder.create(external.jwksUrl()).retrying(true).build();
        DefaultJWTProcessor<SecurityContext> processor = new DefaultJWTProcessor<>();
        processor.setJWSKeySelector(new JWSVerificationKeySelector<>(
                Set.of(JWSAlgorithm.RS256, JWSAlgorithm.ES256), keys));
        // claims are checked by checkClaims() with the injected clock
        processor.setJWTClaimsSetVerifier((claims, context) -> { });
        return processor;
    }

    public JWSAlgorithm algorithm() {
        return algorithm;
    }

    /** The longest lifetime a token may be issued for. */
    public Duration maxTtl() {
        return settings.maxTtl();
    }

    public IssuedToken issue(UserId user, Set<Role> roles, Optional<Duration> ttl) {
        Duration lifetime = ttl.orElse(settings.ttl());
        if (lifetime.isNegative() || lifetime.isZero() || lifetime.compareTo(settings.maxTtl()) > 0) {
            throw new IllegalArgumentException("token lifetime must be positive and at most " + settings.maxTtl());
        }
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        Instant expires = now.plus(lifetime);
        String id = UUID.randomUUID().toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(settings.audience())
                .subject(user.value())
                .issueTime(Date.from(now))
                .notBeforeTime(Date.from(now))
                .expirationTime(Date.from(expires))
                .jwtID(id)
                .claim(ROLES_CLAIM, roles.stream().map(Role::wireName).sorted().toList())
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return new IssuedToken(jwt.serialize(),
                new AccessToken(settings.issuer(), user.value(), false, roles, now, expires, id));
    }

    /** A signed invite: the compact JWT, its id and expiry. */
    public record SignedInvite(String token, String id, Instant expiresAt) {}

    /** What a verified invite says. */
    public record InviteClaims(String id, String consultation, String role, Instant expiresAt) {}

    private String inviteAudience() {
        return settings.audience() + ":invite";
    }

    /**
     * Signs an invite with the server's key for the audience {@code <audience>:invite}: it can never pass as an
     * access token (wrong audience), nor an access token as an invite.
     */
    public SignedInvite issueInvite(String consultation, String role, Duration ttl) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        String id = UUID.randomUUID().toString();
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(inviteAudience())
                .subject("invite")
                .issueTime(Date.from(now))
                .expirationTime(Date.from(now.plus(ttl)))
                .jwtID(id)
                .claim("consultation", consultation)
                .claim("role", role)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId)
                .type(new com.nimbusds.jose.JOSEObjectType("invite+jwt")).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return new SignedInvite(jwt.serialize(), id, now.plus(ttl));
    }

    /** What an audit anchor says: the chain had {@code records} records, the last with {@code headHash}, at {@code at}. */
    public record AnchorClaims(long records, String headHash, String node, Instant at) {}

    private String anchorAudience() {
        return settings.audience() + ":audit-anchor";
    }

    /**
     * Signs the audit chain's head with the server's key (audience {@code <audience>:audit-anchor}, no expiry: an
     * anchor is kept for years), for an operator to ship elsewhere. Whoever rewrites the audit table later cannot
     * make a chain that matches it without this key.
     */
    public String signAnchor(long records, String headHash, String node) {
        Instant now = clock.instant().truncatedTo(ChronoUnit.SECONDS);
        JWTClaimsSet claims = new JWTClaimsSet.Builder()
                .issuer(settings.issuer())
                .audience(anchorAudience())
                .subject("audit-anchor")
                .issueTime(Date.from(now))
                .jwtID(UUID.randomUUID().toString())
                .claim("records", records)
                .claim("head", headHash)
                .claim("node", node)
                .build();
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(algorithm).keyID(keyId)
                .type(new com.nimbusds.jose.JOSEObjectType("audit-anchor+jwt")).build(), claims);
        try {
            jwt.sign(signer);
        } catch (JOSEException e) {
            throw new IllegalStateException("signing failed", e);
        }
        return jwt.serialize();
    }

    /** The anchor's claims when this server's key signed it and it is intact; empty otherwise. */
    public Optional<AnchorClaims> verifyAnchor(String token) {
        try {
            SignedJWT jwt = parseSigned(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = claims(jwt);
            if (!settings.issuer().equals(claims.getIssuer()) || claims.getAudience() == null
                    || !claims.getAudience().contains(anchorAudience()) || claims.getIssueTime() == null) {
                return Optional.empty();
            }
            Object records = claims.getClaim("records");
            if (!(records instanceof Number count)) {
                return Optional.empty();
            }
            return Optional.of(new AnchorClaims(count.longValue(), requireString(claims, "head"),
                    requireString(claims, "node"), claims.getIssueTime().toInstant()));
        } catch (TokenRejectedException | JOSEException e) {
            return Optional.empty();
        }
    }

    /** The invite's claims when it is this server's, unexpired and intact; empty otherwise. */
    public Optional<InviteClaims> verifyInvite(String token) {
        try {
            SignedJWT jwt = parseSigned(token);
            if (!algorithm.equals(jwt.getHeader().getAlgorithm()) || !jwt.verify(verifier)) {
                return Optional.empty();
            }
            JWTClaimsSet claims = claims(jwt);
            checkClaims(claims, settings.issuer(), inviteAudience());
            return Optional.of(new InviteClaims(requireString(claims, "jti"), requireString(claims, "consultation"),
                    requireString(claims, "role"), claims.getExpirationTime().toInstant()));
        } catch (TokenRejectedException | JOSEException e) {
            return Optional.empty();
        }
    }

    /**
     * Verifies a compact JWT. May block on the first use of an external issuer's JWKS: call from a worker
     * thread when an external issuer is configured.
     */
    public AccessToken verify(String token) throws TokenRejectedException {
        SignedJWT jwt = parseSigned(token);
        JWTClaimsSet unverified = claims(jwt);
        Optional<TokenSettings.ExternalIssuer> external = settings.external()
                .filter(e -> e.issuer().equals(unverified.getIssuer()));
        if (external.isPresent()) {
            return verifyExternal(jwt, external.get());
        }
        if (!algorithm.equals(jwt.getHeader().getAlgorithm())) {
            throw new TokenRejectedException(Reason.UNSUPPORTED_ALGORITHM);
        }
        try {
            if (!jwt.verify(verifier)) {
                throw new TokenRejectedException(Reason.BAD_SIGNATURE);
            }
        } catch (JOSEException e) {
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, e);
        }
        checkClaims(unverified, settings.issuer(), settings.audience());
        String id = requireString(unverified, "jti");
        return new AccessToken(settings.issuer(), requireString(unverified, "sub"), false, roles(unverified),
                unverified.getIssueTime().toInstant(), unverified.getExpirationTime().toInstant(), id);
    }

    private AccessToken verifyExternal(SignedJWT jwt, TokenSettings.ExternalIssuer external) {
        JWSAlgorithm alg = jwt.getHeader().getAlgorithm();
        if (!JWSAlgorithm.RS256.equals(alg) && !JWSAlgorithm.ES256.equals(alg)) {
            throw new TokenRejectedException(Reason.UNSUPPORTED_ALGORITHM);
        }
        JWTClaimsSet claims;
        try {
            claims = externalProcessor.orElseThrow().process(jwt, null);
        } catch (BadJWSException e) {
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, e);
        } catch (BadJOSEException e) {
            // no key in the issuer's set matches the token's kid/alg
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, e);
        } catch (KeySourceException e) {
            throw new TokenRejectedException(Reason.KEYS_UNAVAILABLE, e);
        } catch (JOSEException e) {
            throw new TokenRejectedException(Reason.BAD_SIGNATURE, e);
        }
        checkClaims(claims, external.issuer(), external.audience());
        String login = requireString(claims, external.loginClaim());
        String id = claims.getJWTID() != null ? claims.getJWTID() : "sha256-" + fingerprint(
                jwt.serialize().getBytes(StandardCharsets.US_ASCII));
        return new AccessToken(external.issuer(), login, true, Set.of(), claims.getIssueTime().toInstant(),
                claims.getExpirationTime().toInstant(), id);
    }

    private void checkClaims(JWTClaimsSet claims, String issuer, String audience) {
        Instant now = clock.instant();
        Duration skew = settings.clockSkew();
        Date exp = claims.getExpirationTime();
        Date iat = claims.getIssueTime();
        if (exp == null || iat == null) {
            throw new TokenRejectedException(Reason.INVALID_CLAIM);
        }
        if (!issuer.equals(claims.getIssuer())) {
            throw new TokenRejectedException(Reason.WRONG_ISSUER);
        }
        List<String> audiences = claims.getAudience();
        if (audiences == null || !audiences.contains(audience)) {
            throw new TokenRejectedException(Reason.WRONG_AUDIENCE);
        }
        if (!now.isBefore(exp.toInstant().plus(skew))) {
            throw new TokenRejectedException(Reason.EXPIRED);
        }
        Date nbf = claims.getNotBeforeTime();
        if (iat.toInstant().isAfter(now.plus(skew)) || (nbf != null && nbf.toInstant().isAfter(now.plus(skew)))) {
            throw new TokenRejectedException(Reason.NOT_YET_VALID);
        }
        requireString(claims, "sub");
    }

    private static Set<Role> roles(JWTClaimsSet claims) {
        try {
            List<String> names = claims.getStringListClaim(ROLES_CLAIM);
            if (names == null) {
                throw new TokenRejectedException(Reason.INVALID_CLAIM);
            }
            EnumSet<Role> roles = EnumSet.noneOf(Role.class);
            for (String name : names) {
                roles.add(Role.fromWireName(name));
            }
            return roles;
        } catch (ParseException | IllegalArgumentException e) {
            throw new TokenRejectedException(Reason.INVALID_CLAIM, e);
        }
    }

    private static String requireString(JWTClaimsSet claims, String name) {
        try {
            String value = claims.getStringClaim(name);
            if (value == null || value.isBlank() || value.length() > 256) {
                throw new TokenRejectedException(Reason.INVALID_CLAIM);
            }
            return value;
        } catch (ParseException e) {
            throw new TokenRejectedException(Reason.INVALID_CLAIM, e);
        }
    }

    private static SignedJWT parseSigned(String token) {
        if (token == null || token.isEmpty() || token.length() > 8192) {
            throw new TokenRejectedException(Reason.MALFORMED);
        }
        JWT jwt;
        try {
            jwt = JWTParser.parse(token);
        } catch (ParseException e) {
            throw new TokenRejectedException(Reason.MALFORMED, e);
        }
        if (jwt instanceof SignedJWT signed) {
            return signed;
        }
        throw new TokenRejectedException(Reason.UNSIGNED);
    }

    private static JWTClaimsSet claims(SignedJWT jwt) {
        try {
            return jwt.getJWTClaimsSet();
        } catch (ParseException e) {
            throw new TokenRejectedException(Reason.MALFORMED, e);
        }
    }

    private static String fingerprint(byte[] material) {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(material);
            return HexFormat.of().formatHex(digest, 0, 8);
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
