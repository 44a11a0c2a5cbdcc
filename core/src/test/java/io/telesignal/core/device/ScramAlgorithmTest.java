package io.telesignal.core.device;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Base64;
import org.junit.jupiter.api.Test;

/** The examples of RFC 5802 §5 (SCRAM-SHA-1) and RFC 7677 §3 (SCRAM-SHA-256), computed as a server does. */
class ScramAlgorithmTest {
    @Test
    void rfc5802Sha1Example() {
        check(ScramAlgorithm.SHA_1, "n=user,r=fyko+d2lbbFgONRv9qkxdawL",
                "r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j,s=QSXCR+Q6sek8bf92,i=4096",
                "c=biws,r=fyko+d2lbbFgONRv9qkxdawL3rfcNHYJY1ZVvWVs7j", "QSXCR+Q6sek8bf92",
                "v0X8v3Bz2T0CJGbJQyF0X+HI4Ts=", "rmF9pqV8S7suAoZWja4dJRkFsKQ=");
    }

    @Test
    void rfc7677Sha256Example() {
        check(ScramAlgorithm.SHA_256, "n=user,r=rOprNGfwEbeRWgbNEkqO",
                "r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0,s=W22ZaJ0SNY7soEsUEjb6gQ==,i=4096",
                "c=biws,r=rOprNGfwEbeRWgbNEkqO%hvYDpWUa2RaTCAfuxFIlj)hNlF$k0", "W22ZaJ0SNY7soEsUEjb6gQ==",
                "dHzbZapWIk4jUhN+Ute9ytag9zjfMHgsqmmiz7AndVQ=", "6rriTRBi23WpRR/wtup+mMhUZUn/dB5nLTJRsjl95G4=");
    }

    @Test
    void mechanismsByName() {
        assertThat(ScramAlgorithm.byMechanism("SCRAM-SHA-1")).contains(ScramAlgorithm.SHA_1);
        assertThat(ScramAlgorithm.byMechanism("SCRAM-SHA-256")).contains(ScramAlgorithm.SHA_256);
        assertThat(ScramAlgorithm.byMechanism("SCRAM-SHA-512")).isEmpty();
    }

    private static void check(ScramAlgorithm algorithm, String clientFirstBare, String serverFirst,
            String clientFinalWithoutProof, String salt, String proof, String serverSignature) {
        ScramCredentials keys = DeviceKeys.scram(algorithm, "pencil", Base64.getDecoder().decode(salt), 4096);
        byte[] authMessage = (clientFirstBare + "," + serverFirst + "," + clientFinalWithoutProof)
                .getBytes(StandardCharsets.UTF_8);
        byte[] clientProof = Base64.getDecoder().decode(proof);
        byte[] signature = algorithm.hmac(keys.storedKey(), authMessage);
        byte[] clientKey = new byte[signature.length];
        for (int i = 0; i < clientKey.length; i++) {
            clientKey[i] = (byte) (clientProof[i] ^ signature[i]);
        }
        assertThat(algorithm.hash(clientKey)).as("the RFC's proof opens the StoredKey").isEqualTo(keys.storedKey());
        assertThat(Base64.getEncoder().encodeToString(algorithm.hmac(keys.serverKey(), authMessage)))
                .isEqualTo(serverSignature);
        assertThat(keys.storedKey()).hasSize(algorithm.length());
    }
}
