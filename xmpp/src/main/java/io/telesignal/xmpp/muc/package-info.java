/**
 * Multi-user chat (XEP-0045) for care-team rooms, at the service domain {@code xmpp.muc.domain}: entering and
 * leaving, nicknames, groupchat and private messages, history, subjects, invitations, moderation (kick, voice, ban,
 * affiliations) and room configuration by owners. Rooms, affiliations and history live in the
 * {@link io.telesignal.core.groupchat.RoomStore}; who is in a room now in the shared
 * {@link io.telesignal.core.groupchat.Occupants}, so a room's occupants may be on any node; every stanza to an
 * occupant travels through the {@link io.telesignal.xmpp.stream.StanzaRouter}. It must not touch a session's stream:
 * it answers the sending session through {@link io.telesignal.xmpp.muc.MucService.Sender}.
 */
package io.telesignal.xmpp.muc;
