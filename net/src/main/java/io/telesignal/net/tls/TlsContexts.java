package io.telesignal.net.tls;

import io.netty.handler.ssl.ApplicationProtocolConfig;
import io.netty.handler.ssl.SslContext;
import io.netty.handler.ssl.SslContextBuilder;
import io.netty.handler.ssl.SslProvider;
import java.util.List;
import javax.net.ssl.SSLException;

/** Builds server TLS contexts: JDK provider, the configured protocol versions (1.2 and 1.3 at most), no ALPN yet. */
public final class TlsContexts {
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
}
