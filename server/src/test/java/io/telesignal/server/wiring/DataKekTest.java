package io.telesignal.server.wiring;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.server.config.ConfigException;
import io.telesignal.server.config.ServerConfig;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Where the data encryption key comes from, and what is refused: each a configuration error naming the key. */
class DataKekTest {
    @TempDir
    Path dir;

    @Test
    void theSettingWinsThenTheFileThenAGeneratedOne() throws Exception {
        String given = Base64.getEncoder().encodeToString(new byte[32]);
        Path file = dir.resolve("kek");
        assertThat(DataKek.load(new ServerConfig.DataEncryption(Optional.of(given), file), new SecureRandom(), true))
                .isEqualTo(new byte[32]);
        assertThat(file).doesNotExist();
        byte[] generated = DataKek.load(new ServerConfig.DataEncryption(Optional.empty(), file), new SecureRandom(), false);
        assertThat(generated).hasSize(32);
        assertThat(DataKek.load(new ServerConfig.DataEncryption(Optional.empty(), file), new SecureRandom(), true))
                .as("read again, in cluster mode too").isEqualTo(generated);
    }

    @Test
    void keysThatAreNot32BytesOfBase64AreRefused() throws Exception {
        Path file = Files.writeString(dir.resolve("short"), Base64.getEncoder().encodeToString(new byte[16]));
        assertThatThrownBy(() -> DataKek.load(new ServerConfig.DataEncryption(Optional.empty(), file), new SecureRandom(),
                false)).isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo("dataEncryption.keyFile");
                    assertThat(e.getMessage()).contains("32 bytes");
                });
        assertThatThrownBy(() -> DataKek.load(new ServerConfig.DataEncryption(Optional.of("not base64!"), file),
                new SecureRandom(), false)).isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.key()).isEqualTo("dataEncryption.key"));
        assertThatThrownBy(() -> DataKek.load(new ServerConfig.DataEncryption(Optional.empty(), dir.resolve("none")),
                new SecureRandom(), true)).isInstanceOfSatisfying(ConfigException.class,
                        e -> assertThat(e.getMessage()).contains("cluster mode needs one data encryption key"));
    }
}
