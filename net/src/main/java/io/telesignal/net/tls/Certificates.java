package io.telesignal.net.tls;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.math.BigInteger;
import java.net.InetAddress;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.GeneralSecurityException;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.SecureRandom;
import java.security.cert.CertificateFactory;
import java.security.cert.X509Certificate;
import java.security.spec.ECGenParameterSpec;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Date;
import java.util.List;
import java.util.regex.Pattern;
import org.bouncycastle.asn1.x500.X500Name;
import org.bouncycastle.asn1.x509.BasicConstraints;
import org.bouncycastle.asn1.x509.ExtendedKeyUsage;
import org.bouncycastle.asn1.x509.Extension;
import org.bouncycastle.asn1.x509.GeneralName;
import org.bouncycastle.asn1.x509.GeneralNames;
import org.bouncycastle.asn1.x509.KeyPurposeId;
import org.bouncycastle.asn1.x509.KeyUsage;
import org.bouncycastle.cert.CertIOException;
import org.bouncycastle.cert.jcajce.JcaX509CertificateConverter;
import org.bouncycastle.cert.jcajce.JcaX509v3CertificateBuilder;
import org.bouncycastle.operator.OperatorCreationException;
import org.bouncycastle.operator.jcajce.JcaContentSignerBuilder;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds the server certificate: the operator's PEM files when configured, otherwise a self-signed one in
 * {@code <data-dir>/tls/}, generated on first start (ECDSA P-256, valid one year) and reused while it has
 * more than a week to run and covers the configured names. The key file is written owner-readable only.
 */
public final class Certificates {
    private static final Logger LOG = LoggerFactory.getLogger(Certificates.class);
    private static final Duration VALIDITY = Duration.ofDays(365);
    private static final Duration RENEW_BEFORE = Duration.ofDays(7);
    private static final Pattern IPV4 = Pattern.compile("\\d{1,3}(\\.\\d{1,3}){3}");

    private final Clock clock;

    public Certificates(Clock clock) {
        this.clock = clock;
    }

    public ServerCertificate resolve(TlsSettings settings, Path dataDir) {
        if (settings.certificate().isPresent()) {
            Path cert = settings.certificate().get();
            Path key = settings.privateKey().orElseThrow();
            if (!Files.isReadable(key)) {
                throw new TlsConfigurationException("tls.privateKey: cannot read " + key, null);
            }
            return new ServerCertificate(readChain(cert), cert, key, false);
        }
        Path dir = dataDir.resolve("tls");
        Path cert = dir.resolve("selfsigned-cert.pem");
        Path key = dir.resolve("selfsigned-key.pem");
        if (Files.exists(cert) && Files.exists(key)) {
            ServerCertificate existing = new ServerCertificate(readChain(cert), cert, key, true);
            if (stillGood(existing.leaf(), settings.selfSignedNames()) && keyMatches(key, existing.leaf())) {
                LOG.info("event=tls_certificate source=self_signed_reused file={}", cert);
                return existing;
            }
            LOG.warn("event=tls_certificate source=self_signed_renewed reason=expiring_or_names_changed file={}", cert);
        }
        return generate(settings.selfSignedNames(), cert, key);
    }

    private boolean stillGood(X509Certificate leaf, List<String> names) {
        Instant renewAt = leaf.getNotAfter().toInstant().minus(RENEW_BEFORE);
        if (!clock.instant().isBefore(renewAt)) {
            return false;
        }
        try {
            List<String> covered = new ArrayList<>();
            if (leaf.getSubjectAlternativeNames() != null) {
                for (List<?> san : leaf.getSubjectAlternativeNames()) {
                    covered.add(String.valueOf(san.get(1)));
                }
            }
            for (String name : names) {
                boolean found = covered.contains(name);
                if (!found && isIpLiteral(name)) {
                    String normalized = InetAddress.getByName(name).getHostAddress();
                    found = covered.stream().anyMatch(c -> sameAddress(c, normalized));
                }
                if (!found) {
                    return false;
                }
            }
            return true;
        } catch (GeneralSecurityException | IOException e) {
            return false;
        }
    }

    private static boolean sameAddress(String covered, String normalized) {
        try {
            return InetAddress.getByName(covered).getHostAddress().equals(normalized);
        } catch (IOException e) {
            return false;
        }
    }

    private ServerCertificate generate(List<String> names, Path certFile, Path keyFile) {
        try {
            KeyPairGenerator generator = KeyPairGenerator.getInstance("EC");
            generator.initialize(new ECGenParameterSpec("secp256r1"), new SecureRandom());
            KeyPair pair = generator.generateKeyPair();
            Instant now = clock.instant();
            X500Name subject = new X500Name("CN=telesignal self-signed,O=telesignal");
            JcaX509v3CertificateBuilder builder = new JcaX509v3CertificateBuilder(subject,
                    new BigInteger(64, new SecureRandom()), Date.from(now.minus(Duration.ofHours(1))),
                    Date.from(now.plus(VALIDITY)), subject, pair.getPublic());
            List<GeneralName> sans = new ArrayList<>();
            for (String name : names) {
                sans.add(isIpLiteral(name) ? new GeneralName(GeneralName.iPAddress, name)
                        : new GeneralName(GeneralName.dNSName, name));
            }
            builder.addExtension(Extension.subjectAlternativeName, false,
                    new GeneralNames(sans.toArray(GeneralName[]::new)));
            builder.addExtension(Extension.basicConstraints, true, new BasicConstraints(false));
            builder.addExtension(Extension.keyUsage, true, new KeyUsage(KeyUsage.digitalSignature));
            builder.addExtension(Extension.extendedKeyUsage, false, new ExtendedKeyUsage(KeyPurposeId.id_kp_serverAuth));
            X509Certificate certificate = new JcaX509CertificateConverter()
                    .getCertificate(builder.build(new JcaContentSignerBuilder("SHA256withECDSA").build(pair.getPrivate())));

            // each written whole; a crash between the two leaves a pair that keyMatches refuses on the next start
            io.telesignal.core.secrets.SecretFiles.write(keyFile, pem("PRIVATE KEY", pair.getPrivate().getEncoded()));
            io.telesignal.core.secrets.SecretFiles.write(certFile, pem("CERTIFICATE", certificate.getEncoded()));
            LOG.info("event=tls_certificate source=self_signed_generated file={} names={}", certFile, names);
            return new ServerCertificate(List.of(certificate), certFile, keyFile, true);
        } catch (GeneralSecurityException | OperatorCreationException | CertIOException e) {
            throw new TlsConfigurationException("cannot generate a self-signed certificate", e);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot write the self-signed certificate to " + certFile.getParent(), e);
        }
    }

    /** Whether the key file holds the private key of the certificate: sign a probe, verify with the certificate. */
    static boolean keyMatches(Path keyFile, X509Certificate certificate) {
        try {
            String text = Files.readString(keyFile, StandardCharsets.US_ASCII);
            String body = text.replace("-----BEGIN PRIVATE KEY-----", "").replace("-----END PRIVATE KEY-----", "");
            java.security.PrivateKey key = java.security.KeyFactory.getInstance("EC")
                    .generatePrivate(new java.security.spec.PKCS8EncodedKeySpec(Base64.getMimeDecoder().decode(body)));
            byte[] probe = "telesignal key probe".getBytes(StandardCharsets.US_ASCII);
            java.security.Signature signer = java.security.Signature.getInstance("SHA256withECDSA");
            signer.initSign(key);
            signer.update(probe);
            byte[] signature = signer.sign();
            java.security.Signature verifier = java.security.Signature.getInstance("SHA256withECDSA");
            verifier.initVerify(certificate.getPublicKey());
            verifier.update(probe);
            return verifier.verify(signature);
        } catch (IOException | GeneralSecurityException | IllegalArgumentException e) {
            return false;
        }
    }

    private static boolean isIpLiteral(String name) {
        return IPV4.matcher(name).matches() || name.contains(":");
    }

    static String pem(String type, byte[] der) {
        return "-----BEGIN " + type + "-----\n"
                + Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII)).encodeToString(der)
                + "\n-----END " + type + "-----\n";
    }

    static List<X509Certificate> readChain(Path file) {
        try (InputStream in = Files.newInputStream(file)) {
            List<X509Certificate> chain = new ArrayList<>();
            for (var certificate : CertificateFactory.getInstance("X.509").generateCertificates(in)) {
                chain.add((X509Certificate) certificate);
            }
            if (chain.isEmpty()) {
                throw new TlsConfigurationException("tls.certificate: no certificate in " + file, null);
            }
            return chain;
        } catch (IOException e) {
            throw new TlsConfigurationException("tls.certificate: cannot read " + file, e);
        } catch (GeneralSecurityException e) {
            throw new TlsConfigurationException("tls.certificate: not a PEM X.509 certificate: " + file, e);
        }
    }
}
