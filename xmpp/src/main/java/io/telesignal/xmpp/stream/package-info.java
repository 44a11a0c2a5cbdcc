/**
 * The client-to-server session, transport-neutral: {@link io.telesignal.xmpp.stream.C2sSession} (stream negotiation,
 * binding, stanza rules) with its parts {@link io.telesignal.xmpp.stream.SaslNegotiation},
 * {@link io.telesignal.xmpp.stream.StreamManagement} (XEP-0198), {@link io.telesignal.xmpp.stream.MessageRouting},
 * {@link io.telesignal.xmpp.stream.PresenceRouting} and {@link io.telesignal.xmpp.stream.ServerIqs}; stanzas reach
 * resources on any node through the core router ({@link io.telesignal.xmpp.stream.StanzaRouter}); in cluster mode
 * resumable streams are copied to the shared sessions ({@link io.telesignal.xmpp.stream.SharedStreams}) so that a dead
 * node's unacknowledged messages are kept offline. It owns no store of its own and must not reach into another door.
 */
package io.telesignal.xmpp.stream;
