package io.telesignal.signaling.rest;

import io.netty.handler.codec.http.HttpResponseStatus;

/** A REST request refused with a status and a stable code. */
final class RestException extends RuntimeException {
    private static final long serialVersionUID = 1L;
    private final HttpResponseStatus status;
    private final String code;

    RestException(HttpResponseStatus status, String code, String message) {
        super(message, null, false, false);
        this.status = status;
        this.code = code;
    }

    HttpResponseStatus status() {
        return status;
    }

    String code() {
        return code;
    }
}
