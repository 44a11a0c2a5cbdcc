/**
 * Chat inside a consultation: messages from admitted participants, stored for the retention period
 * ({@link io.telesignal.core.chat.ChatStore}, purged by a scheduled job), delivered to the participants present,
 * and given as recent history on join. Message text may identify a patient: delivered and stored, never logged or
 * audited (the audit trail records that a message was sent, by whom, in which consultation).
 */
package io.telesignal.core.chat;
