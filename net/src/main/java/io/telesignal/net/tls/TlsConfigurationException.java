package io.telesignal.net.tls;

/** The configured certificate or key cannot be used; the message names the file and the problem. */
public final class TlsConfigurationException extends RuntimeException {
    private static final long serialVersionUID = 1L;

    public TlsConfigurationException(String message, Throwable cause) {
        super(message, cause);
    }
}
