package io.telesignal.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SecretFilesTest {
    @TempDir
    Path dir;

    @Test
    void secretsAreOwnerOnlyAndReplacedWhole() throws Exception {
        Path file = dir.resolve("nested/secret.key");
        SecretFiles.write(file, "first");
        SecretFiles.write(file, "second");

        assertThat(Files.readString(file)).isEqualTo("second");
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(file))).isEqualTo("rw-------");
        try (var siblings = Files.list(file.getParent())) {
            assertThat(siblings).containsExactly(file);
        }
    }

    @Test
    void directoriesAreOwnerOnlyAndOpenOnesAreNoticed() throws Exception {
        Path data = dir.resolve("data");
        SecretFiles.createDirectory(data);
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(data))).isEqualTo("rwx------");
        assertThat(SecretFiles.openToOthers(data)).isFalse();

        Files.setPosixFilePermissions(data, PosixFilePermissions.fromString("rwxr-xr-x"));
        assertThat(SecretFiles.openToOthers(data)).isTrue();
    }
}
