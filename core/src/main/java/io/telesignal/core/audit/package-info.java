/**
 * The audit trail: who did what, to whom, in which consultation, from where, with which outcome, and when;
 * never what was said. Records are hash-chained ({@link io.telesignal.core.audit.AuditChain}) so that an edited,
 * deleted or re-ordered record is detected by {@link io.telesignal.core.audit.AuditVerifier}.
 *
 * <p>{@link io.telesignal.core.audit.AuditLog} is the SPI (in memory here, JDBC in store);
 * {@link io.telesignal.core.audit.AuditTrail} is the single writer every service records through.
 * Must not touch: storage details, wire formats.
 */
package io.telesignal.core.audit;
