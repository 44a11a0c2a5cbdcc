package io.telesignal.server.cli;

import io.telesignal.core.directory.GeneratedPassword;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.security.SecureRandom;

/** A new password: the first line of standard input, or a generated one that is printed once. */
final class PasswordInput {
    private PasswordInput() {}

    static char[] read(CliContext context, boolean fromStdin) {
        return fromStdin ? stdin(context) : GeneratedPassword.generate(new SecureRandom());
    }

    /** The first line of standard input; an empty one is refused. */
    static char[] stdin(CliContext context) {
        try {
            String line = context.in().readLine();
            if (line == null || line.isEmpty()) {
                throw new IllegalArgumentException("--password-stdin: no password on standard input");
            }
            return line.toCharArray();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
