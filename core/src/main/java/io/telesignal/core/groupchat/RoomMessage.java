package io.telesignal.core.groupchat;

import java.time.Instant;

/** One message of a room's history: the stanza as occupants saw it (sealed at rest), and when it was sent. */
public record RoomMessage(String room, String id, String stanza, Instant sentAt) {}
