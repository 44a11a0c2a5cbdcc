package io.telesignal.core.directory;

/** Length bounds for new passwords; the upper bound keeps hashing cost bounded. */
public record PasswordPolicy(int minLength, int maxLength) {
    public static final PasswordPolicy DEFAULT = new PasswordPolicy(10, 1024);

    public PasswordPolicy {
        if (minLength < 1 || maxLength < minLength || maxLength > 4096) {
            throw new IllegalArgumentException("password length bounds out of range");
        }
    }

    void check(char[] password) {
        if (password.length < minLength) {
            throw new InvalidPasswordException("password shorter than " + minLength + " characters");
        }
        if (password.length > maxLength) {
            throw new InvalidPasswordException("password longer than " + maxLength + " characters");
        }
    }
}
