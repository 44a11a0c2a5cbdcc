package io.telesignal.sip.proxy;

import io.telesignal.sip.message.NameAddr;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipUri;
import io.telesignal.sip.transport.FlowKey;
import java.util.List;
import java.util.Optional;

/**
 * Route preprocessing (RFC 3261 §16.4, RFC 5658 for the double Record-Route): the Route values at the top that name
 * this node are taken off, and the flow token of the first that has one says which flows the request goes through.
 */
final class Routes {
    private Routes() {}

    /**
     * What is left of a route set once this node's own entries are off its top.
     *
     * @param remaining the Route values still to follow
     * @param flows     the flows a popped entry's token named, when one had a token
     * @param ftag      the {@code ftag} of that entry (the From tag of the request that created the dialog)
     * @param forged    a popped entry had a user part that is not a token of ours: the request is refused
     */
    record Popped(List<String> remaining, Optional<List<FlowKey>> flows, Optional<String> ftag, boolean forged) {}

    static Popped popOurs(List<String> routes, SipDomain domain, FlowTokens tokens) {
        int i = 0;
        Optional<List<FlowKey>> flows = Optional.empty();
        Optional<String> ftag = Optional.empty();
        while (i < routes.size()) {
            Optional<NameAddr> entry = nameAddr(routes.get(i));
            Optional<SipUri> uri = entry.flatMap(NameAddr::sipUri);
            if (uri.isEmpty() || !domain.isUs(uri.get())) {
                break;
            }
            if (uri.get().user().isPresent() && flows.isEmpty()) {
                flows = tokens.open(uri.get().user().get());
                if (flows.isEmpty()) {
                    return new Popped(routes.subList(i + 1, routes.size()), Optional.empty(), Optional.empty(), true);
                }
                ftag = Optional.ofNullable(uri.get().params().get("ftag"));
            }
            i++;
        }
        return new Popped(List.copyOf(routes.subList(i, routes.size())), flows, ftag, false);
    }

    static Optional<NameAddr> nameAddr(String value) {
        try {
            return Optional.of(NameAddr.parse(value));
        } catch (SipParseException e) {
            return Optional.empty();
        }
    }

    /** The URI of a Route value, when it is a SIP URI. */
    static Optional<SipUri> uri(String value) {
        return nameAddr(value).flatMap(NameAddr::sipUri);
    }
}
