package io.telesignal.signaling.protocol;

/** A field is missing or out of bounds; thrown from message constructors, answered {@code invalid_field}. */
public final class InvalidFieldException extends IllegalArgumentException {
    private static final long serialVersionUID = 1L;
    private final String field;

    public InvalidFieldException(String field, String problem) {
        super(field + " " + problem);
        this.field = field;
    }

    public String field() {
        return field;
    }
}
