package io.telesignal.server.wiring;

import io.telesignal.core.secrets.SecretFiles;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Path;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The data directory holds password-equivalent material (device passwords' SIP HA1 values and SCRAM keys, password hashes in the H2
 * file; the TLS key; the token secret): it is created owner-only (0700), and a start on one that others can
 * read or enter warns.
 */
final class DataDirectory {
    private static final Logger LOG = LoggerFactory.getLogger(DataDirectory.class);

    private DataDirectory() {}

    static void prepare(Path dir) {
        try {
            SecretFiles.createDirectory(dir);
            if (SecretFiles.openToOthers(dir)) {
                LOG.warn("event=data_dir_permissions outcome=too_open dir={} advice=chmod_700", dir.toAbsolutePath());
            }
        } catch (IOException e) {
            throw new UncheckedIOException("cannot create data directory " + dir, e);
        }
    }
}
