/**
 * Netty plumbing shared by the front doors: event loops ({@code transport}), TLS contexts and certificates
 * ({@code tls}), and the HTTP server with its routes, connection limits and metrics ({@code http}).
 *
 * <p>May use: core, Netty, Bouncy Castle PKIX, Micrometer. Must not touch: the store, protocol semantics
 * (signaling, SIP, XMPP live in their own modules and register routes here), configuration files.
 */
package io.telesignal.net;
