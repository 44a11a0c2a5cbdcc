package io.telesignal.core.auth;

import java.security.interfaces.ECPrivateKey;
import java.security.interfaces.ECPublicKey;
import java.security.interfaces.RSAPrivateKey;
import java.security.interfaces.RSAPublicKey;

/** The key this server signs its own tokens with; one of three kinds. */
public sealed interface SigningKey {
    /** HS256 with a shared secret of at least 256 bits (RFC 7518 §3.2). */
    record Hs256(byte[] secret) implements SigningKey {
        public Hs256 {
            if (secret.length < 32) {
                throw new IllegalArgumentException("HS256 secret must be at least 32 bytes");
            }
            secret = secret.clone();
        }

        @Override
        public byte[] secret() {
            return secret.clone();
        }
    }

    /** RS256 with a key pair of at least 2048 bits. */
    record Rs256(RSAPrivateKey privateKey, RSAPublicKey publicKey) implements SigningKey {
        public Rs256 {
            if (publicKey.getModulus().bitLength() < 2048) {
                throw new IllegalArgumentException("RS256 key must be at least 2048 bits");
            }
        }
    }

    /** ES256 with a P-256 key pair. */
    record Es256(ECPrivateKey privateKey, ECPublicKey publicKey) implements SigningKey {
        public Es256 {
            if (publicKey.getParams().getCurve().getField().getFieldSize() != 256) {
                throw new IllegalArgumentException("ES256 needs a P-256 key");
            }
        }
    }
}
