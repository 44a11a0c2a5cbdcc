/**
 * Invites: a signed, expiring, single-use grant to take part in one consultation with a role (a guest, a family
 * member, an interpreter). Created by the consultation's providers (or staff, admins, API keys); redeeming one
 * lists the redeemer in the consultation, after which they join like anyone listed (and wait to be admitted).
 * {@link io.telesignal.core.invite.InviteRedemptions} is the SPI that makes "single use" hold across nodes.
 */
package io.telesignal.core.invite;
