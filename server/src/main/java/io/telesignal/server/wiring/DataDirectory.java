package io.telesignal.server.wiring;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds password-equivalent material (SIP HA1 values, SCRAM keys, password hashes in the H2
 * file; the TLS key; the token secret): it is created owner-only (0700), and a start on one that others can
 * read or enter warns.
 */
final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

    private DataDirectory() {}

    static void prepare(Path dir) {
        try {
            if (!Files.exists(dir)) {
                try {
                    Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(
                            PosixFilePermissions.fromString("rwx------")));
                } catch (UnsupportedOperationException e) {
                    Files.createDirectories(dir);
                }
                return;
            }
            try {
                Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
                if (permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)
                        || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                        || permissions.contains(PosixFilePermission.OTHERS_EXECUTE)) {
                    LOG.warn("event=data_dir_permissions outcome=too_open dir={} mode={} advice=chmod_700",
                            dir.toAbsolutePath(), PosixFilePermissions.toString(permissions));
                }
            } catch (UnsupportedOperationException e) {
                // not a POSIX file system: nothing to check
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }
}
