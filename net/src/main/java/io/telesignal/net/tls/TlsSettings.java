package io.telesignal.net.tls;

import java.nio.file.Path;
import java.util.List;
import java.util.Objects;
import java.util.Optional;
import java.util.Set;

/**
 * Where the server's certificate comes from.
 *
 * @param certificate    PEM certificate chain, leaf first; with {@code privateKey}, or neither
 * @param privateKey     PEM PKCS#8 private key
 * @param selfSignedNames DNS names and IP addresses a generated certificate covers
 * @param protocols      enabled protocol versions; only TLSv1.2 and TLSv1.3 are allowed
 * @param provider       which TLS implementation serves connections
 */
public record TlsSettings(Optional<Path> certificate, Optional<Path> privateKey, List<String> selfSignedNames,
        List<String> protocols, TlsContexts.Provider provider) {
    public static final Set<String> ALLOWED_PROTOCOLS = Set.of("TLSv1.2", "TLSv1.3");

    public TlsSettings {
        Objects.requireNonNull(certificate, "certificate");
        Objects.requireNonNull(privateKey, "privateKey");
        Objects.requireNonNull(provider, "provider");
        selfSignedNames = List.copyOf(selfSignedNames);
        protocols = List.copyOf(protocols);
        if (certificate.isPresent() != privateKey.isPresent()) {
            throw new IllegalArgumentException("certificate and privateKey must be given together");
        }
        if (protocols.isEmpty() || !ALLOWED_PROTOCOLS.containsAll(protocols)) {
            throw new IllegalArgumentException("protocols must be a non-empty subset of " + ALLOWED_PROTOCOLS);
        }
        if (selfSignedNames.isEmpty()) {
            throw new IllegalArgumentException("selfSignedNames must name at least one host");
        }
    }

    /** With the implementation {@link TlsContexts.Provider#AUTO} picks. */
    public TlsSettings(Optional<Path> certificate, Optional<Path> privateKey, List<String> selfSignedNames,
            List<String> protocols) {
        this(certificate, privateKey, selfSignedNames, protocols, TlsContexts.Provider.AUTO);
    }

    public static TlsSettings selfSigned() {
        return new TlsSettings(Optional.empty(), Optional.empty(), List.of("localhost", "127.0.0.1", "::1"),
                List.of("TLSv1.3", "TLSv1.2"));
    }
}
