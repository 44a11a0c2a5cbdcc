package io.telesignal.core;

import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.UnknownHostException;
import java.util.Locale;

/**
 * How client IP addresses appear in log lines. An address is a HIPAA identifier (45 CFR 164.514(b)(2)(i)(O)), so by
 * default a log line names only its network: IPv4 truncated to /24 ({@code 192.0.2.0/24}), IPv6 to /48. {@code full}
 * logs it whole (investigating abuse), {@code none} not at all ({@code -}). Process-wide, like the log level: set once
 * at start by the server ({@code logging.clientAddresses}). The audit trail is not a log: it keeps addresses whole.
 */
public final class ClientAddresses {
    public enum Mode { FULL, TRUNCATED, NONE }

    private static volatile Mode mode = Mode.TRUNCATED;

    private ClientAddresses() {}

    public static void configure(Mode configured) {
        mode = configured;
    }

    public static Mode mode() {
        return mode;
    }

    /** The address as this process logs it. */
    public static String forLog(InetAddress address) {
        if (address == null) {
            return "-";
        }
        return switch (mode) {
            case FULL -> address.getHostAddress();
            case NONE -> "-";
            case TRUNCATED -> truncate(address);
        };
    }

    /** The same for an address in text form (an IP literal); anything else is logged as {@code -} unless full. */
    public static String forLog(String address) {
        if (address == null || address.isEmpty()) {
            return "-";
        }
        if (mode == Mode.FULL) {
            return address;
        }
        if (mode == Mode.NONE || !address.matches("[0-9A-Fa-f:.%]+")) {
            return "-";
        }
        try {
            return forLog(InetAddress.getByName(address)); // a literal: no lookup
        } catch (UnknownHostException e) {
            return "-";
        }
    }

    private static String truncate(InetAddress address) {
        byte[] bytes = address.getAddress();
        if (address instanceof Inet4Address) {
            return (bytes[0] & 0xff) + "." + (bytes[1] & 0xff) + "." + (bytes[2] & 0xff) + ".0/24";
        }
        if (address instanceof Inet6Address) {
            return String.format(Locale.ROOT, "%x:%x:%x::/48", ((bytes[0] & 0xff) << 8) | (bytes[1] & 0xff),
                    ((bytes[2] & 0xff) << 8) | (bytes[3] & 0xff), ((bytes[4] & 0xff) << 8) | (bytes[5] & 0xff));
        }
        return "-";
    }
}
