/**
 * TLS for every listener: server contexts limited to TLS 1.2 and 1.3, from PEM files or from a self-signed
 * certificate generated on first start, kept in the data directory and reused; and
 * {@link io.telesignal.net.tls.RenegotiationGuard}, which every TLS pipeline puts ahead of its TLS handler to refuse
 * client-initiated renegotiation. Must not touch: listeners.
 */
package io.telesignal.net.tls;
