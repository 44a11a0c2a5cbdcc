/** Netty transports for XMPP client connections: TCP with STARTTLS, and direct TLS (XEP-0368). */
package io.telesignal.xmpp.transport;
