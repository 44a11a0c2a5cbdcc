package io.telesignal.sip.message;

import java.net.InetSocketAddress;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * What a server does to the top Via of a request it receives (RFC 3261 §18.2.1, RFC 3581 §4): it adds
 * {@code received} with the source address when that differs from the Via's host, and, when the client asked with an
 * empty {@code rport}, fills it with the source port (and always adds {@code received}). Responses then go back to where
 * the request really came from, through NATs.
 */
public final class Vias {
    private Vias() {}

    public static SipRequest stamp(SipRequest request, InetSocketAddress source) {
        String address = source.getAddress().getHostAddress();
        if (source.getAddress() instanceof java.net.Inet6Address) {
            address = "[" + address.replaceAll("%.*$", "") + "]";
        }
        List<Header> headers = new ArrayList<>(request.headers());
        for (int i = 0; i < headers.size(); i++) {
            Header h = headers.get(i);
            if (!h.name().equals(HeaderNames.VIA)) {
                continue;
            }
            List<String> values = Syntax.splitList(h.value());
            Via top = request.vias().get(0);
            boolean rport = top.params().containsKey("rport") && top.params().get("rport").isEmpty();
            boolean sameHost = top.host().equalsIgnoreCase(address);
            if (sameHost && !rport) {
                return request;
            }
            Map<String, String> params = new LinkedHashMap<>(top.params());
            params.put("received", address);
            if (rport) {
                params.put("rport", String.valueOf(source.getPort()));
            }
            StringBuilder via = new StringBuilder("SIP/2.0/").append(top.transport()).append(' ').append(top.host());
            top.port().ifPresent(p -> via.append(':').append(p));
            params.forEach((k, v) -> via.append(';').append(k).append(v.isEmpty() ? "" : "=" + v));
            values.set(0, via.toString());
            headers.set(i, new Header(HeaderNames.VIA, String.join(", ", values)));
            SipRequest stamped = new SipRequest(request.method(), request.uri(), headers, request.body());
            stamped.copyParsed(request, new Via(via.toString(), top.transport(), top.host(), top.port(), params));
            return stamped;
        }
        return request;
    }
}
