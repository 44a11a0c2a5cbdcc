package io.telesignal.core.identity;

import java.util.Objects;

/** One telesignal process in a cluster; a single-node deployment has exactly one. */
public record NodeId(String value) {
    public NodeId {
        Objects.requireNonNull(value, "value");
        if (!IdForm.matches(value)) {
            throw new IllegalArgumentException("node id must be 1-64 characters of [A-Za-z0-9._-]");
        }
    }

    @Override
    public String toString() {
        return value;
    }
}
