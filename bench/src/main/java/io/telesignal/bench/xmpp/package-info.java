/**
 * The XMPP benchmark (issue 18): telesignal side by side with Prosody in one run ({@link
 * io.telesignal.bench.xmpp.XmppBench}, started by bench/xmpp-vs-prosody.sh). Owns a lean XMPP client (STARTTLS,
 * SCRAM-SHA-1, binding; a stanza splitter that does not parse), Prosody's configuration for the run, and the load: a
 * closed-loop relay between pairs, logins, idle sessions. Must not touch the server's code: like the rest of the
 * bench it speaks only the protocol.
 */
package io.telesignal.bench.xmpp;
