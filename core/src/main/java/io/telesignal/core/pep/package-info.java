/**
 * Personal eventing (XEP-0163 for the XMPP door): each user's nodes, their configuration and published items, behind
 * a storage SPI ({@link PepStore}, JDBC in store, items sealed at rest) that every node of a cluster shares. It owns
 * no protocol: the XMPP door speaks XEP-0060 and XEP-0163 over it, and decides who is told of what. It must not touch
 * routing, presence or rosters.
 */
package io.telesignal.core.pep;
