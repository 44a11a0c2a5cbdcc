/**
 * Group chat rooms (XEP-0045 for the XMPP door): the rooms, their affiliations and history behind a storage SPI
 * ({@link RoomStore}, JDBC in store), and the occupants present now behind a shared SPI ({@link Occupants}, Redis in
 * cluster mode) so that a room's occupants may sit on any node. It owns no protocol: the XMPP door speaks XEP-0045
 * over these. It must not touch routing or presence.
 */
package io.telesignal.core.groupchat;
