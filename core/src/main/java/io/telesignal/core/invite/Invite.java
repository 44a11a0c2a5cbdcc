package io.telesignal.core.invite;

import io.telesignal.core.consultation.ConsultationId;
import io.telesignal.core.identity.Role;
import java.time.Instant;

/** What a verified invite grants: one consultation, one role, until it expires, once. */
public record Invite(String id, ConsultationId consultation, Role role, Instant expiresAt) {}
