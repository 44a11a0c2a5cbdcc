/**
 * Who is who: user ids, logins, roles, endpoints and the front doors they come through.
 *
 * <p>Immutable values only, no behaviour beyond validation. Must not touch storage or wire formats.
 */
package io.telesignal.core.identity;
