package io.telesignal.sip.proxy;

import io.telesignal.sip.transport.FlowKey;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Base64;
import java.util.List;
import java.util.Optional;

/**
 * Flow tokens (RFC 5626 §5.2): the flows a route leads through, sealed into the user part of a URI this node puts in
 * a Path or a Record-Route, with an HMAC under a secret every node shares, so that nobody outside can steer a request
 * into another user's flow with a Route of their own. {@code base64url(keys) "." base64url(mac)}: only characters a
 * URI's user part may hold.
 */
public final class FlowTokens {
    private static final int MAC_BYTES = 12;
    private final io.telesignal.core.secrets.HmacSha256 hmac;

    /** @param secret 16 bytes or more, the same on every node */
    public FlowTokens(byte[] secret) {
        this.hmac = new io.telesignal.core.secrets.HmacSha256(secret);
    }

    /** A token naming these flows, in order. */
    public String seal(List<FlowKey> flows) {
        StringBuilder text = new StringBuilder();
        for (FlowKey flow : flows) {
            if (!text.isEmpty()) {
                text.append('~');
            }
            text.append(flow.text());
        }
        byte[] body = text.toString().getBytes(StandardCharsets.UTF_8);
        Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
        return b64.encodeToString(body) + "." + b64.encodeToString(mac(body));
    }

    /** The flows of a token this server sealed; empty for anything else (forged, altered, not a token). */
    public Optional<List<FlowKey>> open(String token) {
        int dot = token.indexOf('.');
        if (dot <= 0 || token.length() > 512) {
            return Optional.empty();
        }
        byte[] body;
        byte[] mac;
        try {
            body = Base64.getUrlDecoder().decode(token.substring(0, dot));
            mac = Base64.getUrlDecoder().decode(token.substring(dot + 1));
        } catch (IllegalArgumentException e) {
            return Optional.empty();
        }
        if (!MessageDigest.isEqual(mac, mac(body))) {
            return Optional.empty();
        }
        List<FlowKey> flows = new ArrayList<>();
        for (String part : new String(body, StandardCharsets.UTF_8).split("~")) {
            Optional<FlowKey> flow = FlowKey.parse(part);
            if (flow.isEmpty()) {
                return Optional.empty();
            }
            flows.add(flow.get());
        }
        return Optional.of(List.copyOf(flows));
    }

    private byte[] mac(byte[] body) {
        return Arrays.copyOf(hmac.mac(body), MAC_BYTES);
    }
}
