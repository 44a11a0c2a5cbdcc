package io.telesignal.net.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyStore;
import java.security.cert.CertificateFactory;
import java.util.List;
import javax.net.ssl.SSLContext;
import javax.net.ssl.SSLException;
import javax.net.ssl.TrustManagerFactory;

/**
 * Builds TLS contexts: the server's (BoringSSL through Netty's tcnative where it loads, else the JDK's; the configured
 * protocol versions, 1.2 and 1.3 at most, no ALPN yet), and a client's that trusts exactly one certificate (a node's
 * self-signed one), for the CLI and tests.
 */
public final class TlsContexts {
    static {
        // read once, when the JDK's first server handshake happens: refuse client-initiated renegotiation (TLS 1.2)
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private TlsContexts() {}

    /** Which TLS implementation serves connections ({@code tls.provider}). */
    public enum Provider {
        /** BoringSSL when it loads on this platform (Linux x86-64), else the JDK's. */
        AUTO,
        /** BoringSSL, or the server does not start. */
        OPENSSL,
        /** The JDK's. */
        JDK
    }

    /** The implementation {@code provider} stands for here; OPENSSL that does not load is a configuration error. */
    public static SslProvider resolve(Provider provider) {
        return switch (provider) {
            case JDK -> SslProvider.JDK;
            case AUTO -> io.netty.handler.ssl.OpenSsl.isAvailable() ? SslProvider.OPENSSL : SslProvider.JDK;
            case OPENSSL -> {
                if (!io.netty.handler.ssl.OpenSsl.isAvailable()) {
                    throw new TlsConfigurationException("tls.provider: openssl does not load on this platform ("
                            + io.netty.handler.ssl.OpenSsl.unavailabilityCause() + "); use auto or jdk",
                            io.netty.handler.ssl.OpenSsl.unavailabilityCause());
                }
                yield SslProvider.OPENSSL;
            }
        };
    }

    /** A server context with the implementation {@link Provider#AUTO} picks. */
    public static SslContext server(ServerCertificate certificate, List<String> protocols) {
        return server(certificate, protocols, Provider.AUTO);
    }

    public static SslContext server(ServerCertificate certificate, List<String> protocols, Provider provider) {
        SslProvider implementation = resolve(provider);
        try {
            return SslContextBuilder.forServer(certificate.certificateFile().toFile(), certificate.privateKeyFile().toFile())
                    .sslProvider(implementation)
                    .protocols(protocols)
                    .applicationProtocolConfig(ApplicationProtocolConfig.DISABLED)
                    .build();
        } catch (SSLException | IllegalArgumentException e) {
            throw new TlsConfigurationException("tls: cannot use certificate " + certificate.certificateFile()
                    + " with key " + certificate.privateKeyFile() + " (is the key PKCS#8 PEM and does it match?)", e);
        }
    }

    /**
     * A client context for connections the server opens (a SIP next hop over TLS): the JVM's trusted authorities, the
     * configured protocol versions. The caller turns on name verification on each engine.
     */
    public static SslContext client(List<String> protocols) {
        try {
            return SslContextBuilder.forClient().sslProvider(SslProvider.JDK).protocols(protocols).build();
        } catch (SSLException e) {
            throw new TlsConfigurationException("tls: cannot build a client context", e);
        }
    }

    /** A client context that trusts this PEM certificate and nothing else, as a pinned client would. */
    public static SSLContext trustingOnly(Path certificatePem) throws IOException, GeneralSecurityException {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            store.setCertificateEntry("pinned", CertificateFactory.getInstance("X.509").generateCertificate(in));
        }
        TrustManagerFactory trust = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        trust.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, trust.getTrustManagers(), null);
        return context;
    }
}
