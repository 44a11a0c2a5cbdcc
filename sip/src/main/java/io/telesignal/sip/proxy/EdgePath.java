package io.telesignal.sip.proxy;

import io.telesignal.sip.message.NameAddr;
import io.telesignal.sip.message.SipUri;
import io.telesignal.sip.registrar.FlowPaths;
import io.telesignal.sip.transport.Flow;
import java.net.InetAddress;
import java.util.List;
import java.util.Optional;

/**
 * When a phone is reached through the flow it registered on, as an RFC 5626 edge proxy (and Kamailio's nathelper)
 * would: always over a stream (the connection it opened; a WebSocket can only be reached so), for an outbound
 * registration ({@code reg-id} and {@code +sip.instance}, RFC 5626 §5.1), and over UDP when the Contact is not the
 * address the REGISTER came from (a phone behind NAT writes its private address). Then the binding's Path starts with
 * a URI of the node that holds the flow, with the flow sealed in its user part: whichever node forwards to the binding
 * routes through it; the holding node takes it off and sends over the flow; any other node reaches the holder over TCP
 * (or UDP when TCP does not run). A phone whose Contact is the address it registered from is reached at its Contact.
 */
public final class EdgePath implements FlowPaths {
    private final SipDomain domain;
    private final FlowTokens tokens;

    public EdgePath(SipDomain domain, FlowTokens tokens) {
        this.domain = domain;
        this.tokens = tokens;
    }

    @Override
    public Optional<String> pathFor(Flow flow, NameAddr contact) {
        if (flow.reliable() || contact.params().containsKey("reg-id") || !reachableAsWritten(flow, contact)) {
            return Optional.of(path(flow));
        }
        return Optional.empty();
    }

    /** The Path entry that leads to {@code flow} on this node. */
    public String path(Flow flow) {
        String transport = domain.port("TCP").isPresent() ? "TCP" : "UDP";
        return "<" + domain.routeUri(tokens.seal(List.of(flow.key())), transport, ";ob") + ">";
    }

    private static boolean reachableAsWritten(Flow flow, NameAddr contact) {
        Optional<SipUri> uri = contact.sipUri();
        if (uri.isEmpty()) {
            return false;
        }
        String host = uri.get().host();
        if (host.startsWith("[")) {
            host = host.substring(1, host.length() - 1);
        }
        if (!io.telesignal.sip.transport.FlowKey.isLiteral(host)) {
            return false;
        }
        try {
            return InetAddress.getByName(host).equals(flow.remote().getAddress());
        } catch (java.net.UnknownHostException e) {
            return false;
        }
    }
}
