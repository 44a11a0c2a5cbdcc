package io.telesignal.core.consultation;

import io.telesignal.core.identity.Role;
import java.util.Optional;

/**
 * Who may do what with a consultation. Deny by default: an action is allowed only by a rule below.
 *
 * <ul>
 *   <li>create: providers, staff, admins;</li>
 *   <li>view: listed participants, attendees, staff, admins;</li>
 *   <li>join: listed participants, or holders of a valid invite for this consultation;</li>
 *   <li>leave: attendees;</li>
 *   <li>admit, deny, remove: admitted attendees whose role here is provider;</li>
 *   <li>invite, end: listed or admitted providers, staff, admins;</li>
 *   <li>signal, chat: admitted attendees.</li>
 * </ul>
 */
public final class ConsultationPolicy {
    /**
     * @param invitedAs the role an invite grants, when the actor presents one for this consultation
     */
    public boolean allows(Actor actor, Action action, Consultation consultation, Optional<Role> invitedAs) {
        boolean listed = consultation.listedRole(actor.user()).isPresent();
        boolean attending = consultation.attendee(actor.user()).isPresent();
        boolean admitted = consultation.isAdmitted(actor.user());
        boolean providerHere = consultation.attendee(actor.user()).map(a -> a.role() == Role.PROVIDER)
                .orElse(consultation.listedRole(actor.user()).map(r -> r == Role.PROVIDER).orElse(false));
        return switch (action) {
            case CREATE -> actor.hasAny(Role.PROVIDER, Role.STAFF, Role.ADMIN);
            case VIEW -> listed || attending || actor.hasAny(Role.STAFF, Role.ADMIN);
            case JOIN -> listed || invitedAs.isPresent();
            case LEAVE -> attending;
            case ADMIT, DENY, REMOVE -> admitted && providerHere;
            case INVITE, END -> providerHere || actor.hasAny(Role.STAFF, Role.ADMIN);
            case SIGNAL, CHAT -> admitted;
        };
    }

    /** The role the actor joins with: as listed, or as the invite says. */
    public Optional<Role> joinRole(Actor actor, Consultation consultation, Optional<Role> invitedAs) {
        return consultation.listedRole(actor.user()).or(() -> invitedAs);
    }
}
