package io.telesignal.net.http;

import io.netty.handler.codec.http.HttpHeaders;
import io.netty.handler.codec.http.HttpMethod;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Map;
import java.util.Optional;

/** A complete request, its body already within the listener's size limit. */
public record HttpRequest(HttpMethod method, String path, Map<String, List<String>> query, HttpHeaders headers,
        byte[] body, InetSocketAddress remoteAddress) {

    public Optional<String> queryParameter(String name) {
        List<String> values = query.get(name);
        return values == null || values.isEmpty() ? Optional.empty() : Optional.of(values.get(0));
    }
}
