/**
 * Consultations: the telemedicine session with listed participants, a waiting room and a lifecycle
 * ({@code scheduled → open → in_progress → ended}).
 *
 * <p>{@link io.telesignal.core.consultation.Consultation} is an immutable aggregate whose transitions are pure
 * functions; {@link io.telesignal.core.consultation.ConsultationPolicy} is the one place that decides who may do
 * what (deny by default); {@link io.telesignal.core.consultation.ConsultationService} authorizes, applies a
 * transition through the {@link io.telesignal.core.consultation.ConsultationStore} SPI with optimistic
 * versioning (so several nodes can share one store), audits it, and notifies participants through the router.
 * {@link io.telesignal.core.consultation.Attendance} keeps attendance true across restarts and lost nodes: lost
 * endpoints leave their attendees away in their place, and those who do not come back within the rejoin grace go.
 * Must not touch: wire formats, transports.
 */
package io.telesignal.core.consultation;
