package io.telesignal.signaling.protocol;

/** Field checks shared by the message records; each failure names the field. */
final class Fields {
    static final int MAX_ID = 64;

    private Fields() {}

    static String required(String field, String value, int maxLength) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        if (value.isEmpty() || value.length() > maxLength) {
            throw new InvalidFieldException(field, "must be 1-" + maxLength + " characters");
        }
        return wellFormed(field, value);
    }

    static String optional(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidFieldException(field, "must be at most " + maxLength + " characters");
        }
        return value == null ? null : wellFormed(field, value);
    }

    /**
     * Refuses a lone surrogate (JSON lets {@code "\ud800"} through escaped; it has no UTF-8 form, so the peer would get
     * {@code ?} instead of the string sent, as docs/protocol.md promises).
     */
    static String wellFormed(String field, String value) {
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++;
            } else if (Character.isSurrogate(c)) {
                throw new InvalidFieldException(field, "must be well-formed Unicode (a lone surrogate at " + i + ")");
            }
        }
        return value;
    }

    static <T> T present(String field, T value) {
        if (value == null) {
            throw new InvalidFieldException(field, "is required");
        }
        return value;
    }
}
