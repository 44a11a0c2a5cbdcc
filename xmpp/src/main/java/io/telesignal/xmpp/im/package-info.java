/** Instant messaging on top of the session: rosters and presence subscriptions (RFC 6121). */
package io.telesignal.xmpp.im;
