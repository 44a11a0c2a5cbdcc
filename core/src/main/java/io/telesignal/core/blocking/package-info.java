/**
 * Blocking (XEP-0191 for the XMPP door): the addresses each user blocks, behind a storage SPI ({@link BlockStore},
 * JDBC in store) that every node shares. It owns no protocol and enforces nothing: the XMPP door answers the
 * blocking IQs and keeps blocked stanzas from the user. It must not touch routing, presence or rosters.
 */
package io.telesignal.core.blocking;
