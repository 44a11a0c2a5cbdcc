package io.telesignal.core.upload;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Optional;

/**
 * Storage SPI for files shared over HTTP upload (XEP-0363): in memory here, JDBC in store (file names and contents
 * sealed at rest). A user asks for a slot (an id, a name, a size, a type), the file is put into it once before the slot
 * lapses, then read by whoever has its address until it is purged. Each user's files and open slots together stay
 * within a quota. Blocking.
 */
public interface UploadStore {
    /**
     * A slot, and its file once put.
     *
     * @param putTokenHash the SHA-256 (hex) of the secret a PUT must show
     * @param expiresAt    until when the file may be put
     * @param uploadedAt   when it was, once it was
     */
    record Slot(String id, UserId owner, String filename, String contentType, long size, String putTokenHash,
            Instant createdAt, Instant expiresAt, Optional<Instant> uploadedAt) {
        public Slot {
            if (size < 1) {
                throw new IllegalArgumentException("a slot is for one byte or more");
            }
        }

        public Slot uploaded(Instant at) {
            return new Slot(id, owner, filename, contentType, size, putTokenHash, createdAt, expiresAt, Optional.of(at));
        }
    }

    /** What {@link #put} did. */
    enum Put {
        STORED,
        /** No such slot. */
        UNKNOWN,
        /** The slot lapsed before the file came. */
        EXPIRED,
        /** A file is in the slot already. */
        ALREADY,
        /** The file is not the size the slot was asked for. */
        WRONG_SIZE
    }

    /**
     * Reserves a slot unless the owner's files and open slots, with this one, would pass {@code quota} bytes; answers
     * whether it did.
     */
    boolean reserve(Slot slot, long quota, Instant now);

    Optional<Slot> slot(String id);

    /** Puts a slot's file: once, before the slot lapses, of the slot's size. */
    Put put(String id, byte[] data, Instant now);

    /** A file that was put, with its slot. */
    Optional<byte[]> content(String id);

    /** Deletes the files put before {@code cutoff} and the slots that lapsed empty; answers how many. */
    int purge(Instant cutoff, Instant now);
}
