package io.telesignal.sip.transport;

import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.UnknownHostException;
import java.util.Locale;
import java.util.Objects;
import java.util.Optional;

/**
 * A flow's name on the node that holds it (RFC 5626 §3): the transport and the peer's address. Over UDP any flow can
 * be made again from it; over a stream it names the connection, which only the peer can open again when it is an
 * inbound one.
 */
public record FlowKey(String transport, InetSocketAddress address) {
    public FlowKey {
        Objects.requireNonNull(transport, "transport");
        Objects.requireNonNull(address, "address");
        if (address.isUnresolved()) {
            throw new IllegalArgumentException("a flow's address is an IP address");
        }
        transport = transport.toUpperCase(Locale.ROOT);
    }

    /** {@code UDP|127.0.0.1|5070}: what a flow token seals. */
    public String text() {
        return transport + "|" + address.getAddress().getHostAddress() + "|" + address.getPort();
    }

    /** The key {@link #text} wrote; empty when the text is not one. */
    public static Optional<FlowKey> parse(String text) {
        String[] parts = text.split("\\|", -1);
        if (parts.length != 3 || parts[0].isEmpty() || parts[0].length() > 8) {
            return Optional.empty();
        }
        try {
            int port = Integer.parseInt(parts[2]);
            if (port < 1 || port > 65535 || !isLiteral(parts[1])) {
                return Optional.empty();
            }
            return Optional.of(new FlowKey(parts[0], new InetSocketAddress(InetAddress.getByName(parts[1]), port)));
        } catch (NumberFormatException | UnknownHostException e) {
            return Optional.empty();
        }
    }

    /** An IPv4 or IPv6 literal, which {@link InetAddress#getByName} turns into an address without a lookup. */
    public static boolean isLiteral(String host) {
        if (host.isEmpty()) {
            return false;
        }
        if (host.indexOf(':') >= 0) {
            return host.chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':' || c == '.' || c == '%');
        }
        String[] octets = host.split("\\.", -1);
        if (octets.length != 4) {
            return false;
        }
        for (String octet : octets) {
            if (octet.isEmpty() || octet.length() > 3 || !octet.chars().allMatch(Character::isDigit)
                    || Integer.parseInt(octet) > 255) {
                return false;
            }
        }
        return true;
    }
}
