package io.telesignal.net.http;

import io.netty.handler.codec.http.HttpResponseStatus;
import java.nio.charset.StandardCharsets;
import java.util.Map;
import java.util.Objects;

/** A complete response. */
public record HttpResponse(HttpResponseStatus status, String contentType, byte[] body, Map<String, String> headers) {
    public HttpResponse {
        Objects.requireNonNull(status, "status");
        Objects.requireNonNull(contentType, "contentType");
        Objects.requireNonNull(body, "body");
        headers = Map.copyOf(headers);
    }

    public static HttpResponse text(HttpResponseStatus status, String text) {
        return new HttpResponse(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8), Map.of());
    }

    public static HttpResponse json(HttpResponseStatus status, byte[] json) {
        return new HttpResponse(status, "application/json", json, Map.of());
    }

    /** A JSON error body {@code {"error":{"code":...,"message":...}}}; code and message must be plain ASCII ids. */
    public static HttpResponse error(HttpResponseStatus status, String code, String message) {
        String body = "{\"error\":{\"code\":\"" + escape(code) + "\",\"message\":\"" + escape(message) + "\"}}";
        return json(status, body.getBytes(StandardCharsets.UTF_8));
    }

    public HttpResponse withHeader(String name, String value) {
        java.util.HashMap<String, String> copy = new java.util.HashMap<>(headers);
        copy.put(name, value);
        return new HttpResponse(status, contentType, body, copy);
    }

    private static String escape(String s) {
        StringBuilder out = new StringBuilder(s.length());
        for (char ch : s.toCharArray()) {
            if (ch == '"' || ch == '\\') {
                out.append('\\').append(ch);
            } else if (ch < 0x20) {
                out.append(String.format("\\u%04x", (int) ch));
            } else {
                out.append(ch);
            }
        }
        return out.toString();
    }
}
