/**
 * Presence: a status and note per endpoint, aggregated per user, with change events.
 *
 * <p>{@link io.telesignal.core.presence.PresenceStore} is the shared-state SPI (in memory here, Redis in cluster
 * mode); it answers each change with the user's entries before and after, so that
 * {@link io.telesignal.core.presence.PresenceService} can tell whether the aggregate changed without a race.
 * Notes are free text a user typed and may identify a patient: they are delivered, never logged.
 */
package io.telesignal.core.presence;
