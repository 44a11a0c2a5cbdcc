/**
 * Personal eventing (XEP-0163 over XEP-0060) for the XMPP door: each account is a publish-subscribe service whose
 * nodes ({@code mood}, {@code geoloc}, {@code tune}, avatars, OpenPGP keys, bookmarks...) its owner publishes to, and
 * whose items go to the owner's resources and to the contacts entitled by the node's access model, filtered by the
 * {@code +notify} features of their entity capabilities (XEP-0115), which {@link io.telesignal.xmpp.pep.EntityCaps}
 * learns and verifies. Nodes and items live in the core {@link io.telesignal.core.pep.PepStore}; notifications go
 * through the {@link io.telesignal.xmpp.stream.StanzaRouter}, so that publisher and contacts may sit on any node of a
 * cluster. It must not touch sessions' streams, presence or rosters beyond reading subscriptions.
 */
package io.telesignal.xmpp.pep;
