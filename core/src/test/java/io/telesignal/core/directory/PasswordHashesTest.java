package io.telesignal.core.directory;

import static org.assertj.core.api.Assertions.assertThat;

import java.security.SecureRandom;
import java.util.List;
import org.junit.jupiter.api.Test;

class PasswordHashesTest {
    private final SecureRandom random = new SecureRandom();
    private final Argon2idHasher argon = Argon2idHasher.owaspDefaults(random);
    private final Pbkdf2Hasher pbkdf2 = new Pbkdf2Hasher(Pbkdf2Hasher.DEFAULT_ITERATIONS, random);

    @Test
    void argon2idVerifiesTheRightPasswordOnly() {
        String hash = argon.hash("s3cret-passphrase".toCharArray());
        assertThat(hash).matches("\\$argon2id\\$v=19\\$m=19456,t=2,p=1\\$[A-Za-z0-9+/]{22}\\$[A-Za-z0-9+/]{43}");
        assertThat(argon.verify("s3cret-passphrase".toCharArray(), hash)).isTrue();
        assertThat(argon.verify("s3cret-passphrasE".toCharArray(), hash)).isFalse();
    }

    @Test
    void pbkdf2VerifiesTheRightPasswordOnly() {
        String hash = pbkdf2.hash("s3cret-passphrase".toCharArray());
        assertThat(hash).startsWith("$pbkdf2-sha256$i=600000$");
        assertThat(pbkdf2.verify("s3cret-passphrase".toCharArray(), hash)).isTrue();
        assertThat(pbkdf2.verify("wrong".toCharArray(), hash)).isFalse();
    }

    @Test
    void hashesWrittenByAnotherConfiguredHasherStillVerify() {
        String old = pbkdf2.hash("long enough pw".toCharArray());
        PasswordHashes hashes = new PasswordHashes(argon, List.of(pbkdf2));

        assertThat(hashes.verify("long enough pw".toCharArray(), old)).isTrue();
        assertThat(hashes.hash("long enough pw".toCharArray())).startsWith("$argon2id$");
    }

    @Test
    void malformedOrUnknownHashesNeverVerify() {
        PasswordHashes hashes = new PasswordHashes(argon, List.of(pbkdf2));
        assertThat(hashes.verify("x".toCharArray(), "")).isFalse();
        assertThat(hashes.verify("x".toCharArray(), "$md5$abc")).isFalse();
        assertThat(hashes.verify("x".toCharArray(), "$argon2id$v=19$m=1,t=1$garbage")).isFalse();
        assertThat(hashes.verify("x".toCharArray(), "plain-password")).isFalse();
    }
}
