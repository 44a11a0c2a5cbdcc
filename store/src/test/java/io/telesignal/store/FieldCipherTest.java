package io.telesignal.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Optional;
import javax.crypto.SecretKey;
import javax.crypto.spec.SecretKeySpec;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The refusals of the sealed columns, each with its code: nothing that does not open is read as text. */
class FieldCipherTest {
    private static final SecretKey ONE = new SecretKeySpec(new byte[32], "AES");
    private static final SecretKey TWO = new SecretKeySpec(filled(2), "AES");

    private static byte[] filled(int b) {
        byte[] key = new byte[32];
        java.util.Arrays.fill(key, (byte) b);
        return key;
    }

    private static String code(Runnable read) {
        try {
            read.run();
            return "read";
        } catch (StoreException e) {
            return e.code();
        }
    }

    @Test
    void valuesThatDoNotOpenAreRefusedAsCorrupt() {
        FieldCipher cipher = new FieldCipher();
        assertThatThrownBy(() -> cipher.seal("x", "t.c:1")).isInstanceOf(IllegalStateException.class)
                .hasMessageContaining("not unlocked");
        cipher.install(Map.of(1, ONE), 1, id -> Optional.empty());
        String sealed = cipher.seal("Ada Lovelace", "users.display_name:u1");
        assertThat(cipher.open(sealed, "users.display_name:u1")).isEqualTo("Ada Lovelace");
        assertThat(cipher.open("written before", "users.display_name:u1")).as("no prefix: as it is").isEqualTo("written before");

        assertThat(code(() -> cipher.open("enc:v1:nokeyid", "c"))).isEqualTo("store_corrupt");
        assertThat(code(() -> cipher.open("enc:v1:x:AAAA", "c"))).as("a key id that is no number").isEqualTo("store_corrupt");
        assertThat(code(() -> cipher.open("enc:v1:1:***", "c"))).as("not base64url").isEqualTo("store_corrupt");
        assertThat(code(() -> cipher.open("enc:v1:1:AAAA", "c"))).as("too short to be sealed").isEqualTo("store_corrupt");
        assertThat(code(() -> cipher.open(sealed.substring(0, sealed.length() - 2) + "AA", "users.display_name:u1")))
                .as("altered").isEqualTo("store_corrupt");
        assertThat(code(() -> cipher.open(sealed.replace("enc:v1:1:", "enc:v1:9:"), "c"))).as("no such key")
                .isEqualTo("store_corrupt");
    }

    @Test
    void aKeyThisNodeHasNotSeenIsLoadedOnce() {
        FieldCipher rotatedElsewhere = new FieldCipher();
        rotatedElsewhere.install(Map.of(1, ONE, 2, TWO), 2, id -> Optional.empty());
        String underTwo = rotatedElsewhere.seal("chat text", "chat_messages.body:m1");

        FieldCipher here = new FieldCipher();
        int[] loads = new int[1];
        here.install(Map.of(1, ONE), 1, id -> {
            loads[0]++;
            return id == 2 ? Optional.of(TWO) : Optional.empty();
        });
        assertThat(here.open(underTwo, "chat_messages.body:m1")).isEqualTo("chat text");
        assertThat(here.open(underTwo, "chat_messages.body:m1")).isEqualTo("chat text");
        assertThat(loads[0]).isEqualTo(1);
    }

    @Test
    void anH2KeyFileThatCannotBeUsedIsAKeysError(@TempDir Path dir) throws Exception {
        JdbcSettings plain = TestDatabases.h2(dir);
        Path key = Files.writeString(dir.resolve("h2-file.key"), "has a space\n");
        assertThatThrownBy(() -> H2Encryption.encrypted(plain, key)).isInstanceOfSatisfying(StoreException.class,
                e -> assertThat(e.code()).isEqualTo("store_keys"));
        Files.writeString(key, "\n");
        assertThatThrownBy(() -> H2Encryption.encrypted(plain, key)).isInstanceOf(StoreException.class);
        assertThatThrownBy(() -> H2Encryption.encrypted(TestDatabases.postgres(), key))
                .isInstanceOf(IllegalArgumentException.class);
    }
}
