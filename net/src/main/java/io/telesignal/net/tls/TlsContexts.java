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
 * Builds TLS contexts: the server's (JDK provider, the configured protocol versions, 1.2 and 1.3 at most, no ALPN yet),
 * and a client's that trusts exactly one certificate (a node's self-signed one), for the CLI and tests.
 */
public final class TlsContexts {
    static {
        // read once, when the JDK's first server handshake happens: refuse client-initiated renegotiation (TLS 1.2)
        if (System.getProperty("jdk.tls.rejectClientInitiatedRenegotiation") == null) {
            System.setProperty("jdk.tls.rejectClientInitiatedRenegotiation", "true");
        }
    }

    private TlsContexts() {}

    public static SslContext server(ServerCertificate certificate, List<String> protocols) {
        try {
            return SslContextBuilder.forServer(certificate.certificateFile().toFile(), certificate.privateKeyFile().toFile())
                    .sslProvider(SslProvider.JDK)
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
