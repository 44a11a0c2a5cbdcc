/**
 * The client-to-server session, transport-neutral: stream negotiation, SASL, resource binding, stanza rules, and the
 * routing of stanzas to resources on any node through the core router ({@link io.telesignal.xmpp.stream.StanzaRouter}).
 */
package io.telesignal.xmpp.stream;
