package io.telesignal.core.device;

import java.util.Objects;

/**
 * RFC 3261 §22.4 / RFC 8760 §2: {@code HA1 = H(username ":" realm ":" password)} for MD5 and SHA-256, hex.
 * Bound to the realm they were derived for: changing the realm means users must set their password again.
 */
public record SipDigestCredentials(String realm, String ha1Md5, String ha1Sha256) {
    public SipDigestCredentials {
        Objects.requireNonNull(realm, "realm");
        Objects.requireNonNull(ha1Md5, "ha1Md5");
        Objects.requireNonNull(ha1Sha256, "ha1Sha256");
    }
}
