package io.telesignal.net.proxy;

import java.net.InetAddress;
import java.util.List;
import java.util.Objects;

/**
 * The addresses of the load balancers and proxies whose word on the client's address is believed: CIDR ranges
 * ({@code 10.0.0.0/8}, {@code 2001:db8::/32}) or single addresses. Empty: nobody is believed.
 */
public final class TrustedProxies {
    private record Range(byte[] network, int prefix) {
        boolean contains(byte[] address) {
            if (address.length != network.length) {
                return false;
            }
            int full = prefix / 8;
            for (int i = 0; i < full; i++) {
                if (address[i] != network[i]) {
                    return false;
                }
            }
            int rest = prefix % 8;
            if (rest == 0) {
                return true;
            }
            int mask = 0xff << (8 - rest) & 0xff;
            return (address[full] & mask) == (network[full] & mask);
        }
    }

    public static final TrustedProxies NONE = new TrustedProxies(List.of());

    private final List<Range> ranges;

    private TrustedProxies(List<Range> ranges) {
        this.ranges = ranges;
    }

    /** Parses CIDR ranges or addresses (literals only: no name is looked up); throws IllegalArgumentException. */
    public static TrustedProxies parse(List<String> entries) {
        return new TrustedProxies(entries.stream().map(TrustedProxies::range).toList());
    }

    private static Range range(String entry) {
        Objects.requireNonNull(entry, "entry");
        String text = entry.trim();
        int slash = text.indexOf('/');
        String address = slash < 0 ? text : text.substring(0, slash);
        // a literal only: a name would be looked up, once, and trusted for good
        byte[] network = io.netty.util.NetUtil.createByteArrayFromIpAddressString(address);
        if (network == null) {
            throw new IllegalArgumentException("not an IP address or CIDR range: " + entry);
        }
        int prefix = network.length * 8;
        if (slash >= 0) {
            try {
                prefix = Integer.parseInt(text.substring(slash + 1));
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("not a CIDR prefix length: " + entry, e);
            }
            if (prefix < 0 || prefix > network.length * 8) {
                throw new IllegalArgumentException("CIDR prefix length out of range: " + entry);
            }
        }
        return new Range(network, prefix);
    }

    public boolean contains(InetAddress address) {
        byte[] raw = address.getAddress();
        for (Range range : ranges) {
            if (range.contains(raw)) {
                return true;
            }
        }
        return false;
    }

    public boolean isEmpty() {
        return ranges.isEmpty();
    }
}
