/**
 * External components (XEP-0114, {@code jabber:component:accept}): the listener, one stream per component with its
 * handshake, and the routing between components and this server's users ({@link io.telesignal.xmpp.component.Components}:
 * a connected component is a core endpoint, found from any node). It owns the components' secrets and nothing of the
 * users' state: what it delivers to users goes through the stream package's router and offline store.
 */
package io.telesignal.xmpp.component;
