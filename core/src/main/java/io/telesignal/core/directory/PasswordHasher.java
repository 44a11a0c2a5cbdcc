package io.telesignal.core.directory;

/** A one-way password hash in PHC string form ({@code $id$params$salt$hash}). */
public interface PasswordHasher {
    /** The PHC identifier this hasher writes and reads, e.g. {@code argon2id}. */
    String id();

    String hash(char[] password);

    boolean verify(char[] password, String encoded);
}
