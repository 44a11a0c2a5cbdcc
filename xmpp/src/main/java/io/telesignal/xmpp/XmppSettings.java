package io.telesignal.xmpp;

import java.time.Duration;

/**
 * The XMPP door's settings ({@code xmpp.*}).
 *
 * @param domain the XMPP domain served: the domainpart of every user's JID
 * @param maxStanzaBytes the largest top-level element a client may send (RFC 6120 §13.12: at least 10,000)
 * @param maxDepth how deeply elements may nest inside a stanza
 * @param maxAuthAttempts SASL attempts per stream before it is closed (RFC 6120 §6.4.5: 2 to 5)
 * @param authFailureDelay how long a SASL failure waits before it is answered
 * @param maxSessionsPerUser resources one user may have bound at once, over the whole cluster
 * @param plain whether SASL PLAIN is offered (always under TLS)
 * @param stanzaRate stanzas per second a session may send, sustained
 * @param stanzaBurst stanzas a session may send at once
 * @param maxOfflineMessages messages kept for one user who is not online (XEP-0160)
 * @param resumeWindow how long a stream-managed session whose connection dropped waits for its client to resume
 * @param maxUnacked stanzas a stream-managed session keeps unacknowledged before it is ended
 * @param maxHeldWhileInactive stanzas held for a client that said it is inactive (XEP-0352) before all go out
 */
public record XmppSettings(String domain, int maxStanzaBytes, int maxDepth, int maxAuthAttempts,
        Duration authFailureDelay, int maxSessionsPerUser, boolean plain, int stanzaRate, int stanzaBurst,
        int maxOfflineMessages, Duration resumeWindow, int maxUnacked, int maxHeldWhileInactive) {
    public XmppSettings {
        if (domain == null || domain.isBlank()) {
            throw new IllegalArgumentException("xmpp.domain must be set");
        }
        if (maxStanzaBytes < 10_000 || maxDepth < 2 || maxAuthAttempts < 1 || maxSessionsPerUser < 1 || stanzaRate < 1
                || stanzaBurst < stanzaRate || maxOfflineMessages < 0 || resumeWindow.isNegative() || maxUnacked < 1
                || maxHeldWhileInactive < 1) {
            throw new IllegalArgumentException("xmpp settings out of range");
        }
    }
}
