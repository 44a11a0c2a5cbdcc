package io.telesignal.core.identity;

/**
 * The form of the ids every message names (users, nodes, consultations): 1-64 characters of {@code [A-Za-z0-9._-]},
 * the first a letter or digit. Checked by hand: ids are made for every relayed signal, and a regular expression's
 * matcher was a thirtieth of the relay's CPU.
 */
public final class IdForm {
    /** At most this many characters. */
    public static final int MAX = 64;

    private IdForm() {}

    /** Whether {@code value} has the form ({@code [A-Za-z0-9][A-Za-z0-9._-]{0,63}}). */
    public static boolean matches(String value) {
        int length = value.length();
        if (length == 0 || length > MAX || !alphanumeric(value.charAt(0))) {
            return false;
        }
        for (int i = 1; i < length; i++) {
            char c = value.charAt(i);
            if (!alphanumeric(c) && c != '.' && c != '_' && c != '-') {
                return false;
            }
        }
        return true;
    }

    private static boolean alphanumeric(char c) {
        return c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9';
    }
}
