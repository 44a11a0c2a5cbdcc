package io.telesignal.net.websocket;

/** RFC 6455 §7.4.1 close codes used by the transport itself. */
public final class CloseCodes {
    public static final int NORMAL = 1000;
    public static final int GOING_AWAY = 1001;
    public static final int PROTOCOL_ERROR = 1002;
    public static final int UNSUPPORTED_DATA = 1003;
    public static final int NO_STATUS = 1005;
    public static final int ABNORMAL = 1006;
    public static final int INVALID_PAYLOAD = 1007;
    /** A policy was broken (here: a fragmented message not finished in time). */
    public static final int POLICY_VIOLATION = 1008;
    public static final int MESSAGE_TOO_BIG = 1009;

    /**
     * RFC 6455 §7.4: whether a peer may send this code in a close frame. 1004-1006 and 1015 are reserved (never
     * sent), 1016-2999 unassigned, 3000-3999 registered, 4000-4999 private, anything else invalid.
     */
    public static boolean validOnTheWire(int code) {
        return (code >= 1000 && code <= 1003) || (code >= 1007 && code <= 1014) || (code >= 3000 && code <= 4999);
    }

    private CloseCodes() {}
}
