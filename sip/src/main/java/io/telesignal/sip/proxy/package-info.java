/**
 * The SIP proxy (RFC 3261 §16), being built: so far {@link io.telesignal.sip.proxy.Locator}, which finds who a request
 * is for (404 unknown, 480 not registered, or the user's bindings). Forwarding, forking and Record-Route come next.
 * Must not touch: the store or Redis directly (the core's SPIs only).
 */
package io.telesignal.sip.proxy;
