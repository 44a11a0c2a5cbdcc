package io.telesignal.core.auth;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jose.crypto.RSASSASigner;
import com.nimbusds.jose.jwk.Curve;
import com.nimbusds.jose.jwk.ECKey;
import com.nimbusds.jose.jwk.JWKSet;
import com.nimbusds.jose.jwk.RSAKey;
import com.nimbusds.jose.jwk.gen.ECKeyGenerator;
import com.nimbusds.jose.jwk.gen.RSAKeyGenerator;
import com.nimbusds.jose.util.Base64URL;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.PlainJWT;
import com.nimbusds.jwt.SignedJWT;
import com.sun.net.httpserver.HttpServer;
import io.telesignal.core.auth.TokenRejectedException.Reason;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.core.testkit.MutableClock;
import java.net.InetSocketAddress;
import java.net.URL;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.Date;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TokenServiceTest {
    private static final UserId ALICE = new UserId("u-alice");
    private final MutableClock clock = MutableClock.atEpochDay();
    private final byte[] secret = randomBytes(32);
    private final TokenSettings settings = new TokenSettings("telesignal", "telesignal", Duration.ofMinutes(15),
            Duration.ofDays(1), Duration.ofSeconds(30), Optional.empty());
    private final TokenService tokens = new TokenService(new SigningKey.Hs256(secret), settings, clock);

    @Test
    void issuedTokenVerifiesWithItsClaims() {
        IssuedToken issued = tokens.issue(ALICE, Set.of(Role.PATIENT), Optional.empty());

        AccessToken verified = tokens.verify(issued.jwt());

        assertThat(verified).isEqualTo(issued.claims());
        assertThat(verified.subject()).isEqualTo("u-alice");
        assertThat(verified.roles()).containsExactly(Role.PATIENT);
        assertThat(verified.expiresAt()).isEqualTo(clock.instant().plus(Duration.ofMinutes(15)));
        assertThat(verified.external()).isFalse();
    }

    @Test
    void expiredTokenIsRejectedAfterClockSkew() {
        IssuedToken issued = tokens.issue(ALICE, Set.of(), Optional.of(Duration.ofMinutes(1)));
        clock.advance(Duration.ofMinutes(1).plusSeconds(29));
        assertThat(tokens.verify(issued.jwt()).subject()).isEqualTo("u-alice");

        clock.advance(Duration.ofSeconds(1));
        assertRejected(issued.jwt(), Reason.EXPIRED);
    }

    @Test
    void tokenFromTheFutureIsRejected() {
        IssuedToken issued = tokens.issue(ALICE, Set.of(), Optional.empty());
        clock.advance(Duration.ofMinutes(-5));
        assertRejected(issued.jwt(), Reason.NOT_YET_VALID);
    }

    @Test
    void tamperedPayloadIsRejected() throws Exception {
        String[] parts = tokens.issue(ALICE, Set.of(Role.PATIENT), Optional.empty()).jwt().split("\\.");
        String payload = new String(Base64URL.from(parts[1]).decode(), StandardCharsets.UTF_8)
                .replace("\"patient\"", "\"admin\"");
        String forged = parts[0] + "." + Base64URL.encode(payload.getBytes(StandardCharsets.UTF_8)) + "." + parts[2];

        assertRejected(forged, Reason.BAD_SIGNATURE);
    }

    @Test
    void tokenSignedWithAnotherSecretIsRejected() {
        TokenService other = new TokenService(new SigningKey.Hs256(randomBytes(32)), settings, clock);
        assertRejected(other.issue(ALICE, Set.of(), Optional.empty()).jwt(), Reason.BAD_SIGNATURE);
    }

    @Test
    void wrongAudienceAndIssuerAreRejected() throws Exception {
        assertRejected(sign(claims().audience("someone-else").build()), Reason.WRONG_AUDIENCE);
        assertRejected(sign(claims().issuer("evil").build()), Reason.WRONG_ISSUER);
    }

    @Test
    void missingClaimsAreRejected() throws Exception {
        assertRejected(sign(claims().subject(null).build()), Reason.INVALID_CLAIM);
        assertRejected(sign(claims().jwtID(null).build()), Reason.INVALID_CLAIM);
        assertRejected(sign(claims().expirationTime(null).build()), Reason.INVALID_CLAIM);
        assertRejected(sign(claims().claim("roles", "admin").build()), Reason.INVALID_CLAIM);
        assertRejected(sign(claims().claim("roles", java.util.List.of("superuser")).build()), Reason.INVALID_CLAIM);
    }

    @Test
    void algNoneIsRejected() {
        String unsigned = new PlainJWT(claims().build()).serialize();
        assertRejected(unsigned, Reason.UNSIGNED);
        // the same, with a JWS-looking header claiming alg=none and an empty signature
        String header = Base64URL.encode("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8)).toString();
        String body = unsigned.split("\\.")[1];
        assertRejected(header + "." + body + ".", Reason.UNSIGNED);
    }

    @Test
    void rs256TokenSignedWithThePublicKeyAsHmacSecretIsRejected() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        TokenService rsTokens = new TokenService(new SigningKey.Rs256(rsa.toRSAPrivateKey(), rsa.toRSAPublicKey()),
                settings, clock);
        // classic key confusion: HS256 with the public key bytes as the secret
        SignedJWT confused = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims().build());
        confused.sign(new MACSigner(rsa.toRSAPublicKey().getEncoded()));

        assertThatThrownBy(() -> rsTokens.verify(confused.serialize()))
                .isInstanceOfSatisfying(TokenRejectedException.class,
                        e -> assertThat(e.reason()).isEqualTo(Reason.UNSUPPORTED_ALGORITHM));
    }

    @Test
    void garbageIsMalformed() {
        assertRejected("", Reason.MALFORMED);
        assertRejected("not-a-jwt", Reason.MALFORMED);
        assertRejected("a.b.c", Reason.MALFORMED);
        assertRejected("x".repeat(9000), Reason.MALFORMED);
    }

    @Test
    void rs256AndEs256RoundTrip() throws Exception {
        RSAKey rsa = new RSAKeyGenerator(2048).generate();
        TokenService rs = new TokenService(new SigningKey.Rs256(rsa.toRSAPrivateKey(), rsa.toRSAPublicKey()), settings, clock);
        assertThat(rs.verify(rs.issue(ALICE, Set.of(Role.PROVIDER), Optional.empty()).jwt()).roles())
                .containsExactly(Role.PROVIDER);

        ECKey ec = new ECKeyGenerator(Curve.P_256).generate();
        TokenService es = new TokenService(new SigningKey.Es256(ec.toECPrivateKey(), ec.toECPublicKey()), settings, clock);
        assertThat(es.verify(es.issue(ALICE, Set.of(Role.DEVICE), Optional.empty()).jwt()).roles())
                .containsExactly(Role.DEVICE);
        assertRejected(es, rs.issue(ALICE, Set.of(), Optional.empty()).jwt(), Reason.UNSUPPORTED_ALGORITHM);
    }

    @Test
    void lifetimeBeyondMaximumIsRefused() {
        assertThatThrownBy(() -> tokens.issue(ALICE, Set.of(), Optional.of(Duration.ofDays(2))))
                .isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> tokens.issue(ALICE, Set.of(), Optional.of(Duration.ZERO)))
                .isInstanceOf(IllegalArgumentException.class);
    }

    @Test
    void externalIssuerTokensAreVerifiedThroughItsJwks() throws Exception {
        RSAKey idpKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        RSAKey strangerKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        HttpServer jwks = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        byte[] body = new JWKSet(idpKey.toPublicJWK()).toString().getBytes(StandardCharsets.UTF_8);
        jwks.createContext("/jwks.json", exchange -> {
            exchange.getResponseHeaders().add("Content-Type", "application/json");
            exchange.sendResponseHeaders(200, body.length);
            exchange.getResponseBody().write(body);
            exchange.close();
        });
        jwks.start();
        try {
            URL url = new URL("http://127.0.0.1:" + jwks.getAddress().getPort() + "/jwks.json");
            TokenSettings withIdp = new TokenSettings("telesignal", "telesignal", Duration.ofMinutes(15),
                    Duration.ofDays(1), Duration.ofSeconds(30),
                    Optional.of(new TokenSettings.ExternalIssuer("https://idp.example", "telesignal-api", url, "preferred_username")));
            TokenService service = new TokenService(new SigningKey.Hs256(secret), withIdp, clock);
            JWTClaimsSet idpClaims = new JWTClaimsSet.Builder().issuer("https://idp.example").audience("telesignal-api")
                    .subject("f81d4fae").claim("preferred_username", "alice")
                    .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(300)))
                    .build();

            AccessToken verified = service.verify(signRs(idpKey, idpClaims));
            assertThat(verified.external()).isTrue();
            assertThat(verified.subject()).isEqualTo("alice");
            assertThat(verified.issuer()).isEqualTo("https://idp.example");

            assertRejected(service, signRs(strangerKey, idpClaims), Reason.BAD_SIGNATURE);
            JWTClaimsSet wrongAudience = new JWTClaimsSet.Builder(idpClaims).audience("telesignal").build();
            assertRejected(service, signRs(idpKey, wrongAudience), Reason.WRONG_AUDIENCE);
            // our own tokens still work next to the external issuer
            assertThat(service.verify(service.issue(ALICE, Set.of(), Optional.empty()).jwt()).external()).isFalse();
        } finally {
            jwks.stop(0);
        }
    }

    @Test
    void unreachableJwksIsReportedAsKeysUnavailable() throws Exception {
        RSAKey idpKey = new RSAKeyGenerator(2048).keyID("idp-1").generate();
        HttpServer closed = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
        int port = closed.getAddress().getPort();
        closed.stop(0);
        TokenSettings withIdp = new TokenSettings("telesignal", "telesignal", Duration.ofMinutes(15),
                Duration.ofDays(1), Duration.ofSeconds(30), Optional.of(new TokenSettings.ExternalIssuer(
                        "https://idp.example", "api", new URL("http://127.0.0.1:" + port + "/jwks.json"), "sub")));
        TokenService service = new TokenService(new SigningKey.Hs256(secret), withIdp, clock);
        JWTClaimsSet claims = new JWTClaimsSet.Builder().issuer("https://idp.example").audience("api").subject("alice")
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(300))).build();

        assertRejected(service, signRs(idpKey, claims), Reason.KEYS_UNAVAILABLE);
    }

    private JWTClaimsSet.Builder claims() {
        return new JWTClaimsSet.Builder().issuer("telesignal").audience("telesignal").subject("u-alice")
                .jwtID("j1").claim("roles", java.util.List.of("patient"))
                .issueTime(Date.from(clock.instant())).expirationTime(Date.from(clock.instant().plusSeconds(600)));
    }

    private String sign(JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader(JWSAlgorithm.HS256), claims);
        jwt.sign(new MACSigner(secret));
        return jwt.serialize();
    }

    private static String signRs(RSAKey key, JWTClaimsSet claims) throws Exception {
        SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.RS256).keyID(key.getKeyID()).build(), claims);
        jwt.sign(new RSASSASigner(key));
        return jwt.serialize();
    }

    private void assertRejected(String token, Reason reason) {
        assertRejected(tokens, token, reason);
    }

    private static void assertRejected(TokenService service, String token, Reason reason) {
        assertThatThrownBy(() -> service.verify(token))
                .isInstanceOfSatisfying(TokenRejectedException.class, e -> {
                    assertThat(e.reason()).isEqualTo(reason);
                    assertThat(e.code()).isEqualTo("token_" + reason.wireName());
                });
    }

    private static byte[] randomBytes(int n) {
        byte[] bytes = new byte[n];
        new SecureRandom().nextBytes(bytes);
        return bytes;
    }
}
