package io.telesignal.core;

/**
 * A refusal with a stable code and nothing more to say: the common case of {@link DomainException} for a rule
 * that answers no (an API key asking for an administrator's token, a signal to a peer that is not there). Front
 * doors map the code like any other; give a refusal a class of its own only when it carries more (an
 * {@code enum} reason, a close code).
 */
public class Refusal extends DomainException {
    private static final long serialVersionUID = 1L;
    private final String code;

    public Refusal(String code, String message) {
        super(message);
        this.code = java.util.Objects.requireNonNull(code, "code");
    }

    @Override
    public final String code() {
        return code;
    }
}
