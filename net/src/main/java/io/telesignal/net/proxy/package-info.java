/**
 * Who a connection really comes from when it reaches us through a load balancer or proxy: the PROXY protocol (v1 and
 * v2, HAProxy's {@code send-proxy-v2}) and {@code X-Forwarded-For}, each believed only from the configured trusted
 * proxies. {@link io.telesignal.net.proxy.ClientAddress} is what every limit, log line and audit record reads.
 * May use: Netty. Must not touch: routes, protocols above HTTP.
 */
package io.telesignal.net.proxy;
