package io.telesignal.core.device;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Optional;

/**
 * Storage SPI for device passwords and each user's SCRAM parameters: in memory here, JDBC in store. Blocking.
 * Every method is atomic; {@link #create} and {@link #delete} hold the user for their duration, so a user's
 * count and parameters never race.
 */
public interface DevicePasswordStore {
    enum CreateOutcome {
        CREATED,
        /** The user already has the most device passwords allowed. */
        LIMIT_REACHED,
        /** The user's SCRAM parameters are no longer the ones the device was derived with: derive again. */
        PARAMETERS_CHANGED,
        USER_NOT_FOUND
    }

    /** The user's parameters; {@code proposed} become them when the user has none. */
    ScramParameters scramParameters(UserId user, ScramParameters proposed);

    /** The user's parameters, if the user has any (that is, has or had a device password since the last revoked). */
    Optional<ScramParameters> scramParameters(UserId user);

    /** Adds {@code device} unless the user has {@code limit} already or the user's parameters are not the device's. */
    CreateOutcome create(DevicePassword device, int limit);

    /** The user's device passwords, oldest first. */
    List<DevicePassword> list(UserId user);

    /**
     * Removes one; false when the user has no such device password. Removing the user's last one also removes the
     * user's parameters, so the next device password is derived under the current iteration count.
     */
    boolean delete(UserId user, String id);

    void markUsed(String id, Instant at);
}
