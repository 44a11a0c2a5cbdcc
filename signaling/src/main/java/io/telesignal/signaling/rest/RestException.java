package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A REST request refused with a status and a stable code. */
final class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final HttpResponseStatus status;
    private final String code;
    private final java.util.Map<String, String> headers;

    RestException(HttpResponseStatus status, String code, String message) {
        this(status, code, message, java.util.Map.of());
    }

    /** With response headers (a {@code Retry-After}). */
    RestException(HttpResponseStatus status, String code, String message, java.util.Map<String, String> headers) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
        this.headers = java.util.Map.copyOf(headers);
    }

    java.util.Map<String, String> headers() {
        return headers;
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
