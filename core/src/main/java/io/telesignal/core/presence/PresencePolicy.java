package io.telesignal.core.presence;

import io.telesignal.core.consultation.Actor;
import io.telesignal.core.consultation.Consultation;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.util.Collection;
import java.util.Set;

/**
 * Whose presence someone may watch. Deny by default; allowed: oneself; admins anyone; staff the providers;
 * providers the participants of the open consultations they are a provider in.
 */
public final class PresencePolicy {
    /**
     * @param targetRoles           the watched user's directory roles
     * @param watcherConsultations  open consultations that list or seat the watcher
     */
    public boolean mayWatch(Actor watcher, UserId target, Set<Role> targetRoles,
            Collection<Consultation> watcherConsultations) {
        if (watcher.user().equals(target) || watcher.hasAny(Role.ADMIN)) {
            return true;
        }
        if (watcher.hasAny(Role.STAFF) && targetRoles.contains(Role.PROVIDER)) {
            return true;
        }
        for (Consultation c : watcherConsultations) {
            boolean watcherIsProvider = c.listedRole(watcher.user()).map(r -> r == Role.PROVIDER)
                    .orElse(c.attendee(watcher.user()).map(a -> a.role() == Role.PROVIDER).orElse(false));
            boolean targetIsIn = c.listed().containsKey(target) || c.attendees().containsKey(target);
            if (watcherIsProvider && targetIsIn && !c.ended()) {
                return true;
            }
        }
        return false;
    }
}
