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
        return value;
    }

    static String optional(String field, String value, int maxLength) {
        if (value != null && value.length() > maxLength) {
            throw new InvalidFieldException(field, "must be at most " + maxLength + " characters");
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
