package io.telesignal.core.secrets;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.nio.file.attribute.FileAttribute;
import java.nio.file.attribute.PosixFilePermission;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Owner-only files and directories (0600, 0700). A secret is written to a temporary file beside its target and
 * moved into place atomically, so a crash never leaves half a key. On a file system without POSIX permissions
 * the files are created with the system's defaults and a warning says so.
 */
public final class SecretFiles {
    private static final Logger LOG = LoggerFactory.getLogger(SecretFiles.class);
    private static final Set<PosixFilePermission> OWNER_FILE = PosixFilePermissions.fromString("rw-------");
    private static final Set<PosixFilePermission> OWNER_DIR = PosixFilePermissions.fromString("rwx------");

    private SecretFiles() {}

    /** Creates the directory (and missing parents) owner-only if it does not exist. */
    public static void createDirectory(Path dir) throws IOException {
        if (Files.isDirectory(dir)) {
            return;
        }
        if (Files.exists(dir)) {
            throw new java.nio.file.FileAlreadyExistsException(dir.toString(), null, "exists and is not a directory");
        }
        if (posix(dir)) {
            Files.createDirectories(dir, PosixFilePermissions.asFileAttribute(OWNER_DIR));
        } else {
            Files.createDirectories(dir);
        }
    }

    /** Writes {@code content} to {@code file}, owner-only, replacing it atomically. */
    public static void write(Path file, String content) throws IOException {
        Path dir = file.toAbsolutePath().getParent();
        Files.createDirectories(dir);
        FileAttribute<?>[] attributes = posix(dir)
                ? new FileAttribute<?>[] {PosixFilePermissions.asFileAttribute(OWNER_FILE)} : new FileAttribute<?>[0];
        Path temp = Files.createTempFile(dir, file.getFileName().toString(), ".tmp", attributes);
        try {
            Files.writeString(temp, content, StandardCharsets.US_ASCII);
            Files.move(temp, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
        } finally {
            Files.deleteIfExists(temp);
        }
    }

    /** Whether the directory's group or others may read or enter it. */
    public static boolean openToOthers(Path dir) throws IOException {
        if (!posix(dir)) {
            return false;
        }
        Set<PosixFilePermission> permissions = Files.getPosixFilePermissions(dir);
        return permissions.contains(PosixFilePermission.GROUP_READ) || permissions.contains(PosixFilePermission.OTHERS_READ)
                || permissions.contains(PosixFilePermission.GROUP_EXECUTE)
                || permissions.contains(PosixFilePermission.OTHERS_EXECUTE);
    }

    private static boolean posix(Path near) {
        Path existing = near.toAbsolutePath();
        while (existing != null && !Files.exists(existing)) {
            existing = existing.getParent();
        }
        boolean posix = existing != null && existing.getFileSystem().supportedFileAttributeViews().contains("posix");
        if (!posix) {
            LOG.warn("event=secret_file_permissions outcome=unsupported path={} advice=restrict_access_by_other_means",
                    near);
        }
        return posix;
    }
}
