package io.telesignal.xmpp.stream;

import java.nio.charset.StandardCharsets;
import java.util.Locale;
import java.util.Optional;

/**
 * An XMPP address (RFC 7622): {@code local@domain/resource}, localpart and resource optional. Parsing checks the
 * structure and the sizes (each part at most 1023 bytes of UTF-8) and refuses the characters RFC 7622 §3.3.1 forbids
 * in a localpart; the localpart and domain are compared lower-cased (telesignal's logins are lower-case), the
 * resource as given.
 */
public record Jid(String local, String domain, String resource) {
    private static final String FORBIDDEN_IN_LOCAL = "\"&'/:<>@";

    public Jid {
        if (domain == null || domain.isEmpty()) {
            throw new IllegalArgumentException("a JID needs a domain");
        }
        local = local == null ? "" : local;
        resource = resource == null ? "" : resource;
    }

    /** The address, or empty when it is not a valid JID. */
    public static Optional<Jid> parse(String text) {
        if (text == null || text.isEmpty()) {
            return Optional.empty();
        }
        int slash = text.indexOf('/');
        String beforeResource = slash < 0 ? text : text.substring(0, slash);
        String resource = slash < 0 ? "" : text.substring(slash + 1);
        int at = beforeResource.indexOf('@');
        String local = at < 0 ? "" : beforeResource.substring(0, at);
        String domain = at < 0 ? beforeResource : beforeResource.substring(at + 1);
        if (domain.endsWith(".")) {
            domain = domain.substring(0, domain.length() - 1);
        }
        if ((at >= 0 && local.isEmpty()) || (slash >= 0 && resource.isEmpty()) || !valid(domain, false)
                || (!local.isEmpty() && !valid(local, true)) || bytes(resource) > 1023 || hasControl(resource)) {
            return Optional.empty();
        }
        return Optional.of(new Jid(local.toLowerCase(Locale.ROOT), domain.toLowerCase(Locale.ROOT), resource));
    }

    private static boolean valid(String part, boolean localpart) {
        if (part.isEmpty() || bytes(part) > 1023 || hasControl(part)) {
            return false;
        }
        for (int i = 0; i < part.length(); i++) {
            char c = part.charAt(i);
            if (Character.isWhitespace(c) || (localpart && FORBIDDEN_IN_LOCAL.indexOf(c) >= 0) || (!localpart && c == '@')) {
                return false;
            }
        }
        return true;
    }

    private static boolean hasControl(String s) {
        return s.chars().anyMatch(Character::isISOControl);
    }

    private static int bytes(String s) {
        return s.getBytes(StandardCharsets.UTF_8).length;
    }

    public boolean isBare() {
        return resource.isEmpty();
    }

    public Jid bare() {
        return resource.isEmpty() ? this : new Jid(local, domain, "");
    }

    public Jid withResource(String resource) {
        return new Jid(local, domain, resource);
    }

    @Override
    public String toString() {
        StringBuilder out = new StringBuilder();
        if (!local.isEmpty()) {
            out.append(local).append('@');
        }
        out.append(domain);
        if (!resource.isEmpty()) {
            out.append('/').append(resource);
        }
        return out.toString();
    }
}
