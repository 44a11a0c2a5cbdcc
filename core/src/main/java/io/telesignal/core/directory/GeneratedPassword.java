package io.telesignal.core.directory;

import java.security.SecureRandom;

/** Random passwords for accounts created without one (CLI, demo users): 20 characters, about 115 bits. */
public final class GeneratedPassword {
    // no 0/O, 1/l/I: passwords printed once are often typed by hand
    private static final char[] ALPHABET = "abcdefghijkmnpqrstuvwxyzABCDEFGHJKLMNPQRSTUVWXYZ23456789".toCharArray();

    private GeneratedPassword() {}

    public static char[] generate(SecureRandom random) {
        char[] password = new char[20];
        for (int i = 0; i < password.length; i++) {
            password[i] = ALPHABET[random.nextInt(ALPHABET.length)];
        }
        return password;
    }
}
