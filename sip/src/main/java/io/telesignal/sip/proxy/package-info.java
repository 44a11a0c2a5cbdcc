/**
 * The transaction-stateful SIP proxy (RFC 3261 §16): {@link io.telesignal.sip.proxy.Proxy} validates, preprocesses
 * routes and forwards each request in client transactions, one per target; {@link io.telesignal.sip.proxy.ResponseContext}
 * collects the branches' responses (forking, best response, CANCEL, Timer C); {@link io.telesignal.sip.proxy.Locator}
 * finds a user's bindings; {@link io.telesignal.sip.proxy.SipDomain} says what is this node;
 * {@link io.telesignal.sip.proxy.FlowTokens} and {@link io.telesignal.sip.proxy.EdgePath} keep phones reachable through
 * the flows they registered on (RFC 5626), from any node.
 *
 * <p>Owns: routing decisions. Must not touch: the store or Redis directly (the core's SPIs only), sockets (through
 * {@link io.telesignal.sip.transport.Connector}).
 */
package io.telesignal.sip.proxy;
