package io.telesignal.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.auth.SigningKey;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import io.telesignal.server.config.ConfigException;
import io.telesignal.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.util.Base64;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class TokenKeysTest {
    @TempDir
    Path dir;

    private ServerConfig.Tokens tokens(Map<String, String> overrides) {
        java.util.HashMap<String, String> all = new java.util.HashMap<>(overrides);
        all.put("dataDir", dir.toString());
        return ServerConfig.load(Optional.empty(), Map.of(), all).tokens();
    }

    @Test
    void hs256SecretIsGeneratedOwnerOnlyAndReused() throws Exception {
        SigningKey first = TokenKeys.load(tokens(Map.of()), new SecureRandom());
        Path file = dir.resolve("secrets/jwt-hs256.key");

        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        SigningKey second = TokenKeys.load(tokens(Map.of()), new SecureRandom());
        assertThat(((SigningKey.Hs256) second).secret()).isEqualTo(((SigningKey.Hs256) first).secret());
    }

    @Test
    void shortOrGarbledSecretFilesAreRefused() throws Exception {
        Path shortSecret = Files.writeString(dir.resolve("short.key"), Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> TokenKeys.load(tokens(Map.of("tokens.secretFile", shortSecret.toString())),
                new SecureRandom())).isInstanceOf(ConfigException.class).hasMessageContaining("shorter than 32 bytes");

        Path garbled = Files.writeString(dir.resolve("garbled.key"), "%%% not base64 %%%");
        assertThatThrownBy(() -> TokenKeys.load(tokens(Map.of("tokens.secretFile", garbled.toString())),
                new SecureRandom())).isInstanceOf(ConfigException.class).hasMessageContaining("tokens.secretFile");
    }

    @Test
    void rs256AndEs256KeysAreReadFromPemFiles() throws Exception {
        KeyPairGenerator rsa = KeyPairGenerator.getInstance("RSA");
        rsa.initialize(2048);
        assertIssuesAndVerifies("RS256", rsa.generateKeyPair());

        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        assertIssuesAndVerifies("ES256", ec.generateKeyPair());
    }

    @Test
    void keyOfTheWrongKindIsAClearError() throws Exception {
        KeyPairGenerator ec = KeyPairGenerator.getInstance("EC");
        ec.initialize(new ECGenParameterSpec("secp256r1"));
        KeyPair pair = ec.generateKeyPair();
        Map<String, String> config = writeKeys("RS256", pair);

        assertThatThrownBy(() -> TokenKeys.load(tokens(config), new SecureRandom()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("tokens.privateKey"));

        Files.writeString(Path.of(config.get("tokens.publicKey")), "-----BEGIN CERTIFICATE-----\nAAAA\n-----END CERTIFICATE-----\n");
        Map<String, String> es = new java.util.HashMap<>(config);
        es.put("tokens.algorithm", "ES256");
        assertThatThrownBy(() -> TokenKeys.load(tokens(es), new SecureRandom()))
                .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("tokens.publicKey"));
    }

    private void assertIssuesAndVerifies(String algorithm, KeyPair pair) throws Exception {
        ServerConfig.Tokens config = tokens(writeKeys(algorithm, pair));
        TokenService service = new TokenService(TokenKeys.load(config, new SecureRandom()), config.settings(),
                Clock.systemUTC());
        assertThat(service.algorithm().getName()).isEqualTo(algorithm);
        String jwt = service.issue(new UserId("u1"), Set.of(Role.STAFF), Optional.empty()).jwt();
        assertThat(service.verify(jwt).roles()).containsExactly(Role.STAFF);
    }

    private Map<String, String> writeKeys(String algorithm, KeyPair pair) throws Exception {
        Path privateKey = Files.writeString(dir.resolve(algorithm + "-private.pem"), pem("PRIVATE KEY",
                pair.getPrivate().getEncoded()));
        Path publicKey = Files.writeString(dir.resolve(algorithm + "-public.pem"), pem("PUBLIC KEY",
                pair.getPublic().getEncoded()));
        return Map.of("tokens.algorithm", algorithm, "tokens.privateKey", privateKey.toString(),
                "tokens.publicKey", publicKey.toString());
    }

    private static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder().encodeToString(der) + "\n-----END " + type
                + "-----\n";
    }
}
