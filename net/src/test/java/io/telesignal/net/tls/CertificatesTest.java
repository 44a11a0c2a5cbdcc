package io.telesignal.net.tls;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.netty.handler.ssl.SslContext;
import io.netty.buffer.ByteBufAllocator;
import io.telesignal.core.testkit.MutableClock;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Optional;
import javax.net.ssl.SSLEngine;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class CertificatesTest {
    @TempDir
    Path dataDir;
    private final MutableClock clock = new MutableClock(Instant.now());
    private final Certificates certificates = new Certificates(clock);

    @Test
    void firstStartGeneratesAnOwnerOnlyKeyAndCertificateForTheNames() throws Exception {
        ServerCertificate generated = certificates.resolve(TlsSettings.selfSigned(), dataDir);

        assertThat(generated.generated()).isTrue();
        assertThat(generated.certificateFile()).isEqualTo(dataDir.resolve("tls/selfsigned-cert.pem"));
        assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(generated.privateKeyFile())))
                .isEqualTo("rw-------");
        assertThat(Files.readString(generated.privateKeyFile())).startsWith("-----BEGIN PRIVATE KEY-----");
        assertThat(generated.leaf().getSubjectAlternativeNames()).extracting(san -> String.valueOf(san.get(1)))
                .contains("localhost", "127.0.0.1");
        assertThat(generated.sha256Fingerprint()).matches("([0-9A-F]{2}:){31}[0-9A-F]{2}");
    }

    @Test
    void laterStartsReuseTheSameCertificate() {
        String first = certificates.resolve(TlsSettings.selfSigned(), dataDir).sha256Fingerprint();
        clock.advance(Duration.ofDays(100));
        String second = certificates.resolve(TlsSettings.selfSigned(), dataDir).sha256Fingerprint();

        assertThat(second).isEqualTo(first);
    }

    @Test
    void certificateCloseToExpiryOrMissingANameIsReplaced() {
        String first = certificates.resolve(TlsSettings.selfSigned(), dataDir).sha256Fingerprint();
        TlsSettings moreNames = new TlsSettings(Optional.empty(), Optional.empty(),
                List.of("localhost", "127.0.0.1", "::1", "clinic.test"), List.of("TLSv1.3"));
        String second = certificates.resolve(moreNames, dataDir).sha256Fingerprint();
        assertThat(second).isNotEqualTo(first);

        clock.advance(Duration.ofDays(360));
        assertThat(certificates.resolve(moreNames, dataDir).sha256Fingerprint()).isNotEqualTo(second);
    }

    @Test
    void certificateWhoseKeyWasReplacedIsRegenerated() throws Exception {
        ServerCertificate first = certificates.resolve(TlsSettings.selfSigned(), dataDir);
        ServerCertificate other = certificates.resolve(TlsSettings.selfSigned(), dataDir.resolve("other"));
        Files.copy(other.privateKeyFile(), first.privateKeyFile(), java.nio.file.StandardCopyOption.REPLACE_EXISTING);

        ServerCertificate again = certificates.resolve(TlsSettings.selfSigned(), dataDir);

        assertThat(again.sha256Fingerprint()).isNotEqualTo(first.sha256Fingerprint());
        assertThat(Certificates.keyMatches(again.privateKeyFile(), again.leaf())).isTrue();
    }

    @Test
    void operatorCertificateIsUsedAsGiven() throws Exception {
        ServerCertificate made = certificates.resolve(TlsSettings.selfSigned(), dataDir.resolve("elsewhere"));
        TlsSettings configured = new TlsSettings(Optional.of(made.certificateFile()), Optional.of(made.privateKeyFile()),
                List.of("localhost"), List.of("TLSv1.3", "TLSv1.2"));

        ServerCertificate used = certificates.resolve(configured, dataDir);

        assertThat(used.generated()).isFalse();
        assertThat(used.sha256Fingerprint()).isEqualTo(made.sha256Fingerprint());
        assertThat(Files.exists(dataDir.resolve("tls"))).isFalse();
    }

    @Test
    void unreadableOrBogusFilesAreClearErrors() throws Exception {
        Path bogus = Files.writeString(dataDir.resolve("bogus.pem"), "not a certificate");
        TlsSettings missingKey = new TlsSettings(Optional.of(bogus), Optional.of(dataDir.resolve("nokey.pem")),
                List.of("localhost"), List.of("TLSv1.3"));
        assertThatThrownBy(() -> certificates.resolve(missingKey, dataDir))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("tls.privateKey");

        TlsSettings bogusCert = new TlsSettings(Optional.of(bogus), Optional.of(bogus), List.of("localhost"),
                List.of("TLSv1.3"));
        assertThatThrownBy(() -> certificates.resolve(bogusCert, dataDir))
                .isInstanceOf(TlsConfigurationException.class).hasMessageContaining("tls.certificate");
    }

    @Test
    void contextsOfferOnlyTls12And13() {
        ServerCertificate cert = certificates.resolve(TlsSettings.selfSigned(), dataDir);
        SslContext context = TlsContexts.server(cert, List.of("TLSv1.3", "TLSv1.2"));
        SSLEngine engine = context.newEngine(ByteBufAllocator.DEFAULT);

        // BoringSSL's engine lists the SSLv2Hello pseudo-protocol too, a hello format it does not accept
        assertThat(java.util.Arrays.stream(engine.getEnabledProtocols()).filter(p -> !p.equals("SSLv2Hello")))
                .containsExactlyInAnyOrder("TLSv1.3", "TLSv1.2");
        assertThatThrownBy(() -> new TlsSettings(Optional.empty(), Optional.empty(), List.of("localhost"),
                List.of("TLSv1.1"))).isInstanceOf(IllegalArgumentException.class);
    }
}
