package io.telesignal.net.tls;

import java.io.InputStream;
import java.net.http.HttpClient;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.security.cert.CertificateFactory;
import java.time.Duration;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;

/** JDK HTTP clients that trust exactly one certificate (the server's self-signed one), as a pinned client would. */
public final class TrustingClient {
    private TrustingClient() {}

    public static SSLContext trusting(Path certificatePem) throws Exception {
        KeyStore store = KeyStore.getInstance(KeyStore.getDefaultType());
        store.load(null, null);
        try (InputStream in = Files.newInputStream(certificatePem)) {
            Certificate certificate = CertificateFactory.getInstance("X.509").generateCertificate(in);
            store.setCertificateEntry("server", certificate);
        }
        TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
        tmf.init(store);
        SSLContext context = SSLContext.getInstance("TLS");
        context.init(null, tmf.getTrustManagers(), null);
        return context;
    }

    public static HttpClient http(Path certificatePem) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(certificatePem)).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
