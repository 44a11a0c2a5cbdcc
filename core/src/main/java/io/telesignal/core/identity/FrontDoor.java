package io.telesignal.core.identity;

import java.util.Locale;

/** The protocol an endpoint came in through. */
public enum FrontDoor {
    /** JSON over WebSocket (browsers, apps). */
    WEBSOCKET,
    SIP,
    XMPP,
    /** REST and health/metrics requests. */
    HTTP;

    public String wireName() {
        return name().toLowerCase(Locale.ROOT);
    }
}
