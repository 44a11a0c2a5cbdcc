package io.telesignal.net.tls;

import java.net.http.HttpClient;
import java.nio.file.Path;
import java.time.Duration;
import javax.net.ssl.SSLContext;

/** JDK HTTP clients that trust exactly one certificate (the server's self-signed one), as a pinned client would. */
public final class TrustingClient {
    private TrustingClient() {}

    public static SSLContext trusting(Path certificatePem) throws Exception {
        return TlsContexts.trustingOnly(certificatePem);
    }

    public static HttpClient http(Path certificatePem) throws Exception {
        return HttpClient.newBuilder().sslContext(trusting(certificatePem)).connectTimeout(Duration.ofSeconds(5)).build();
    }
}
