package io.telesignal.core.identity;

import java.util.Locale;
import java.util.Objects;
import java.util.regex.Pattern;

/**
 * A login name, the same on every front door: it is the SIP digest username, the XMPP localpart and the
 * name typed into the web app. Restricted to characters that are safe unescaped in all three
 * (RFC 3261 user part, RFC 7622 localpart), and case-folded so that {@code Alice} and {@code alice} are one user.
 */
public record Login(String value) {
    private static final Pattern FORM = Pattern.compile("[a-z0-9][a-z0-9._-]{0,63}");

    public Login {
        Objects.requireNonNull(value, "value");
        value = value.toLowerCase(Locale.ROOT);
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException(
                    "login must be 1-64 characters of [a-z0-9._-], starting with a letter or digit");
        }
    }

    /** The login {@code text} names, or empty when it is not a valid one (what a door receives from a client). */
    public static java.util.Optional<Login> parse(String text) {
        if (text == null || !FORM.matcher(text.toLowerCase(Locale.ROOT)).matches()) {
            return java.util.Optional.empty();
        }
        return java.util.Optional.of(new Login(text));
    }

    @Override
    public String toString() {
        return value;
    }
}
