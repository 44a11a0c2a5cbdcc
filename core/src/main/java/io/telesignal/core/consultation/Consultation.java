package io.telesignal.core.consultation;

import io.telesignal.core.consultation.ConsultationException.Reason;
import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * A consultation at one version: listed participants with their roles, who is waiting or admitted, and its
 * state. Immutable; each transition answers a new value one version up, and refuses what the lifecycle does
 * not allow (joining an ended consultation, admitting someone who is not waiting). Who may call a transition
 * is not decided here but in {@link ConsultationPolicy}.
 *
 * <p>Admission: a participant whose role here is {@code provider} or {@code staff} is admitted on joining;
 * everyone else (patient, guest, interpreter, device) waits until a provider admits them.
 *
 * <p>{@code invited}: the listed participants who are on the list because they used an invite link (not named when
 * the consultation was made), so that a provider can tell an invited interpreter from someone the consultation
 * already expected.
 */
public record Consultation(
        ConsultationId id,
        ConsultationState state,
        Map<UserId, Role> listed,
        Set<UserId> invited,
        Map<UserId, Attendee> attendees,
        int maxParticipants,
        UserId createdBy,
        Instant createdAt,
        Optional<Instant> scheduledFor,
        Optional<Instant> endedAt,
        long version) {

    public static final int DEFAULT_MAX_PARTICIPANTS = 8;

    public Consultation {
        Objects.requireNonNull(id, "id");
        Objects.requireNonNull(state, "state");
        Objects.requireNonNull(createdBy, "createdBy");
        Objects.requireNonNull(createdAt, "createdAt");
        Objects.requireNonNull(scheduledFor, "scheduledFor");
        Objects.requireNonNull(endedAt, "endedAt");
        listed = Map.copyOf(listed);
        invited = Set.copyOf(invited);
        if (!listed.keySet().containsAll(invited)) {
            throw new IllegalArgumentException("only listed participants are invited");
        }
        attendees = java.util.Collections.unmodifiableMap(new LinkedHashMap<>(attendees));
        if (maxParticipants < 2 || maxParticipants > 100) {
            throw new IllegalArgumentException("maxParticipants must be 2-100");
        }
    }

    public static Consultation create(ConsultationId id, Map<UserId, Role> listed, int maxParticipants,
            UserId createdBy, Instant now, Optional<Instant> scheduledFor) {
        ConsultationState state = scheduledFor.filter(now::isBefore).isPresent()
                ? ConsultationState.SCHEDULED : ConsultationState.OPEN;
        return new Consultation(id, state, listed, Set.of(), Map.of(), maxParticipants, createdBy, now, scheduledFor,
                Optional.empty(), 0);
    }

    public boolean ended() {
        return state == ConsultationState.ENDED;
    }

    public Optional<Role> listedRole(UserId user) {
        return Optional.ofNullable(listed.get(user));
    }

    public Optional<Attendee> attendee(UserId user) {
        return Optional.ofNullable(attendees.get(user));
    }

    public boolean isAdmitted(UserId user) {
        Attendee attendee = attendees.get(user); // on every relayed signal: no Optional
        return attendee != null && attendee.admitted();
    }

    /** Whether the endpoint belongs to an admitted attendee; answers that attendee. */
    public Optional<Attendee> admittedEndpoint(EndpointId endpoint) {
        // on every relayed signal: a plain loop over a handful of attendees
        for (Attendee attendee : attendees.values()) {
            if (attendee.admitted() && attendee.endpoints().contains(endpoint)) {
                return Optional.of(attendee);
            }
        }
        return Optional.empty();
    }

    public List<Attendee> admitted() {
        return attendees.values().stream().filter(Attendee::admitted).toList();
    }

    public List<Attendee> waiting() {
        return attendees.values().stream().filter(a -> !a.admitted()).toList();
    }

    /**
     * Lists a participant with a role because they used an invite link; someone listed already keeps their role (and
     * stays someone the consultation expected).
     */
    public Consultation list(UserId user, Role role) {
        requireNotEnded();
        if (listed.containsKey(user)) {
            return this;
        }
        Map<UserId, Role> next = new java.util.HashMap<>(listed);
        next.put(user, role);
        Set<UserId> nextInvited = new HashSet<>(invited);
        nextInvited.add(user);
        return new Consultation(id, state, next, nextInvited, attendees, maxParticipants, createdBy, createdAt,
                scheduledFor, endedAt, version + 1);
    }

    /** Joins from one more endpoint; someone already admitted stays admitted. */
    public Consultation join(Actor actor, Role role, EndpointId endpoint, Instant now) {
        requireNotEnded();
        Attendee existing = attendees.get(actor.user());
        Map<UserId, Attendee> next = new LinkedHashMap<>(attendees);
        if (existing != null) {
            // someone away comes back where they were: admitted, or waiting
            Set<EndpointId> endpoints = new HashSet<>(existing.endpoints());
            endpoints.add(endpoint);
            next.put(actor.user(), existing.withEndpoints(endpoints, now));
        } else {
            if (attendees.size() >= maxParticipants) {
                throw new ConsultationException(Reason.CONSULTATION_FULL,
                        "consultation " + id + " has " + maxParticipants + " participants already");
            }
            Attendee.Status status = admittedOnJoin(role) ? Attendee.Status.ADMITTED : Attendee.Status.WAITING;
            next.put(actor.user(), new Attendee(actor.user(), actor.displayName(), role, status, now, Set.of(endpoint),
                    Optional.empty(), invited.contains(actor.user())));
        }
        return with(next, now);
    }

    public static boolean admittedOnJoin(Role role) {
        return role == Role.PROVIDER || role == Role.STAFF;
    }

    /** One endpoint leaves; the attendee leaves with their last endpoint. */
    public Consultation leave(UserId user, EndpointId endpoint, Instant now) {
        Attendee existing = attendees.get(user);
        if (existing == null || !existing.endpoints().contains(endpoint)) {
            throw new ConsultationException(Reason.NOT_PARTICIPANT, "not in consultation " + id);
        }
        Map<UserId, Attendee> next = new LinkedHashMap<>(attendees);
        Set<EndpointId> endpoints = new HashSet<>(existing.endpoints());
        endpoints.remove(endpoint);
        if (endpoints.isEmpty()) {
            next.remove(user);
        } else {
            next.put(user, existing.withEndpoints(endpoints, now));
        }
        return with(next, now);
    }

    /**
     * These endpoints are gone without a goodbye (their node died or restarted): they are taken off their attendees,
     * and an attendee left with none stays, away, in their place (admitted or waiting) until they come back or
     * {@link #dropAway} removes them. Answers this value when none of the endpoints is here.
     */
    public Consultation lose(Set<EndpointId> lost, Instant now) {
        Map<UserId, Attendee> next = new LinkedHashMap<>(attendees);
        boolean changed = false;
        for (Attendee attendee : attendees.values()) {
            if (attendee.endpoints().stream().anyMatch(lost::contains)) {
                Set<EndpointId> kept = new HashSet<>(attendee.endpoints());
                kept.removeAll(lost);
                next.put(attendee.user(), attendee.withEndpoints(kept, now));
                changed = true;
            }
        }
        return changed ? with(next, now) : this;
    }

    /** Every endpoint of every attendee: what a restarted single node knows to be gone. */
    public Set<EndpointId> endpoints() {
        Set<EndpointId> all = new HashSet<>();
        attendees.values().forEach(a -> all.addAll(a.endpoints()));
        return all;
    }

    /** The attendees away since before {@code cutoff}, who did not come back in time. */
    public List<Attendee> awayBefore(Instant cutoff) {
        return attendees.values().stream()
                .filter(a -> a.awaySince().filter(since -> since.isBefore(cutoff)).isPresent()).toList();
    }

    /** Removes the attendees away since before {@code cutoff}; answers this value when there are none. */
    public Consultation dropAway(Instant cutoff, Instant now) {
        List<Attendee> gone = awayBefore(cutoff);
        if (gone.isEmpty()) {
            return this;
        }
        Map<UserId, Attendee> next = new LinkedHashMap<>(attendees);
        gone.forEach(a -> next.remove(a.user()));
        return with(next, now);
    }

    public Consultation admit(UserId user, Instant now) {
        requireNotEnded();
        Attendee waiting = requireWaiting(user);
        Map<UserId, Attendee> next = new LinkedHashMap<>(attendees);
        next.put(user, waiting.admittedAt(now));
        return with(next, now);
    }

    /** Sends a waiting attendee away; they may join again and wait again. */
    public Consultation deny(UserId user, Instant now) {
        requireNotEnded();
        requireWaiting(user);
        Map<UserId, Attendee> next = new LinkedHashMap<>(attendees);
        next.remove(user);
        return with(next, now);
    }

    /**
     * Removes an admitted attendee and takes them off the list, so that they cannot simply join again (a provider
     * or staff member would otherwise be admitted at once). Someone waiting is denied, not removed.
     */
    public Consultation remove(UserId user, Instant now) {
        requireNotEnded();
        Attendee attendee = attendees.get(user);
        if (attendee == null || !attendee.admitted()) {
            throw new ConsultationException(Reason.NOT_PARTICIPANT, "not admitted in consultation " + id);
        }
        Map<UserId, Attendee> next = new LinkedHashMap<>(attendees);
        next.remove(user);
        Map<UserId, Role> unlisted = new java.util.HashMap<>(listed);
        unlisted.remove(user);
        return with(unlisted, next, now);
    }

    public Consultation end(Instant now) {
        requireNotEnded();
        return new Consultation(id, ConsultationState.ENDED, listed, invited, Map.of(), maxParticipants, createdBy,
                createdAt, scheduledFor, Optional.of(now), version + 1);
    }

    private Attendee requireWaiting(UserId user) {
        Attendee attendee = attendees.get(user);
        if (attendee == null || attendee.admitted()) {
            throw new ConsultationException(Reason.NOT_WAITING, "not waiting in consultation " + id);
        }
        return attendee;
    }

    private void requireNotEnded() {
        if (ended()) {
            throw new ConsultationException(Reason.CONSULTATION_ENDED, "consultation " + id + " has ended");
        }
    }

    private Consultation with(Map<UserId, Attendee> next, Instant now) {
        return with(listed, next, now);
    }

    private Consultation with(Map<UserId, Role> nextListed, Map<UserId, Attendee> next, Instant now) {
        long admittedCount = next.values().stream().filter(Attendee::admitted).count();
        ConsultationState nextState;
        if (admittedCount >= 2) {
            nextState = ConsultationState.IN_PROGRESS;
        } else if (next.isEmpty() && scheduledFor.filter(now::isBefore).isPresent()) {
            nextState = ConsultationState.SCHEDULED;
        } else {
            nextState = ConsultationState.OPEN;
        }
        Set<UserId> nextInvited = invited;
        if (!nextListed.keySet().containsAll(invited)) {
            nextInvited = new HashSet<>(invited);
            nextInvited.retainAll(nextListed.keySet());
        }
        return new Consultation(id, nextState, nextListed, nextInvited, next, maxParticipants, createdBy, createdAt,
                scheduledFor, endedAt, version + 1);
    }
}
