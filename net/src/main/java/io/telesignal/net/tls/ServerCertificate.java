package io.telesignal.net.tls;

import java.nio.file.Path;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.cert.CertificateEncodingException;
import java.security.cert.X509Certificate;
import java.util.HexFormat;
import java.util.List;

/**
 * A certificate chain and key on disk, as the TLS context loads them.
 *
 * @param generated whether telesignal generated it (self-signed) rather than an operator providing it
 */
public record ServerCertificate(List<X509Certificate> chain, Path certificateFile, Path privateKeyFile,
        boolean generated) {
    public ServerCertificate {
        chain = List.copyOf(chain);
        if (chain.isEmpty()) {
            throw new IllegalArgumentException("empty certificate chain");
        }
    }

    public X509Certificate leaf() {
        return chain.get(0);
    }

    /** SHA-256 over the leaf's DER encoding, colon-separated upper-case hex, as browsers show it. */
    public String sha256Fingerprint() {
        try {
            byte[] digest = MessageDigest.getInstance("SHA-256").digest(leaf().getEncoded());
            return HexFormat.ofDelimiter(":").withUpperCase().formatHex(digest);
        } catch (NoSuchAlgorithmException | CertificateEncodingException e) {
            throw new IllegalStateException("cannot fingerprint certificate", e);
        }
    }
}
