package io.telesignal.core.identity;

import java.util.Objects;
import java.util.regex.Pattern;

/** One telesignal process in a cluster; a single-node deployment has exactly one. */
public record NodeId(String value) {
    private static final Pattern FORM = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");

    public NodeId {
        Objects.requireNonNull(value, "value");
        if (!FORM.matcher(value).matches()) {
            throw new IllegalArgumentException("node id must be 1-64 characters of [A-Za-z0-9._-]");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
