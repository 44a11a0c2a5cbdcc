package io.telesignal.core.auth;

/** A freshly signed token: the compact JWT to hand out, and what it says. */
public record IssuedToken(String jwt, AccessToken claims) {
    @Override
    public String toString() {
        return "IssuedToken[id=" + claims.id() + ", expiresAt=" + claims.expiresAt() + "]";
    }
}
