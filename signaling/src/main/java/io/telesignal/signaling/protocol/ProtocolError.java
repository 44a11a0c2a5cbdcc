package io.telesignal.signaling.protocol;

/**
 * Why a client message could not be read: a stable code, a message for developers (field names, never
 * values), and the request id when one could be read, so the error can answer it.
 */
public record ProtocolError(String code, String message, String re) {
    public static final String MALFORMED_JSON = "malformed_json";
    public static final String UNKNOWN_TYPE = "unknown_type";
    public static final String UNKNOWN_FIELD = "unknown_field";
    public static final String INVALID_FIELD = "invalid_field";
}
