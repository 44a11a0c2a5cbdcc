package io.telesignal.server.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ServerConfigTest {
    @TempDir
    Path dir;

    private ServerConfig load(String yaml, Map<String, String> env) throws Exception {
        Optional<Path> file = Optional.empty();
        if (yaml != null) {
            file = Optional.of(Files.writeString(dir.resolve("telesignal.yaml"), yaml));
        }
        return ServerConfig.load(file, env, Map.of());
    }

    private void assertProblem(String yaml, Map<String, String> env, String key, String problem) {
        assertThatThrownBy(() -> load(yaml, env))
                .isInstanceOfSatisfying(ConfigException.class, e -> {
                    assertThat(e.key()).isEqualTo(key);
                    assertThat(e.getMessage()).startsWith(key + ": ").contains(problem).doesNotContain("\n");
                });
    }

    @Test
    void defaultsGiveAnEmbeddedTlsServer() throws Exception {
        ServerConfig config = load(null, Map.of());

        assertThat(config.http().port()).isEqualTo(8443);
        assertThat(config.http().tls()).isTrue();
        assertThat(config.store().url()).startsWith("jdbc:h2:file:").contains("data/db/telesignal");
        assertThat(config.tokens().algorithm()).isEqualTo("HS256");
        assertThat(config.tokens().settings().ttl()).isEqualTo(Duration.ofMinutes(15));
        assertThat(config.tls().protocols()).containsExactly("TLSv1.3", "TLSv1.2");
        assertThat(config.tls().provider()).isEqualTo(io.telesignal.net.tls.TlsContexts.Provider.AUTO);
        assertThat(config.shutdownTimeout()).isEqualTo(Duration.ofSeconds(20));
    }

    @Test
    void fileThenEnvironmentThenFlagsOverrideDefaults() throws Exception {
        String yaml = "dataDir: /srv/ts\nhttp:\n  port: 9443\n  idleTimeout: 90s\ntokens:\n  ttl: 1h\n";
        ServerConfig fromFile = load(yaml, Map.of());
        assertThat(fromFile.http().port()).isEqualTo(9443);
        assertThat(fromFile.http().idleTimeout()).isEqualTo(Duration.ofSeconds(90));
        assertThat(fromFile.tokens().settings().ttl()).isEqualTo(Duration.ofHours(1));

        ServerConfig fromEnv = load(yaml, Map.of("TELESIGNAL_HTTP_PORT", "10443",
                "TELESIGNAL_TLS_PROTOCOLS", "TLSv1.3", "TELESIGNAL_HTTP_MAX_REQUEST_BYTES", "2048",
                "PATH", "/usr/bin"));
        assertThat(fromEnv.http().port()).isEqualTo(10443);
        assertThat(fromEnv.http().maxRequestBytes()).isEqualTo(2048);
        assertThat(fromEnv.tls().protocols()).containsExactly("TLSv1.3");

        ServerConfig withFlag = ServerConfig.load(Optional.empty(), Map.of("TELESIGNAL_DATA_DIR", "/env"),
                Map.of("dataDir", "/flag"));
        assertThat(withFlag.dataDir()).isEqualTo(Path.of("/flag"));
    }

    @Test
    void configFileCanComeFromTheEnvironment() throws Exception {
        Path file = Files.writeString(dir.resolve("other.yaml"), "http:\n  port: 7443\n");
        ServerConfig config = ServerConfig.load(Optional.empty(), Map.of("TELESIGNAL_CONFIG", file.toString()), Map.of());
        assertThat(config.http().port()).isEqualTo(7443);
    }

    @Test
    void environmentVariableNamesFollowTheKeys() {
        assertThat(ConfigTree.variableFor("http.maxRequestBytes")).isEqualTo("TELESIGNAL_HTTP_MAX_REQUEST_BYTES");
        assertThat(ConfigTree.variableFor("tokens.external.jwksUrl")).isEqualTo("TELESIGNAL_TOKENS_EXTERNAL_JWKS_URL");
        assertThat(ConfigTree.variableFor("dataDir")).isEqualTo("TELESIGNAL_DATA_DIR");
    }

    @Test
    void unknownKeysAndVariablesAreRefused() {
        assertProblem("http:\n  prot: 1\n", Map.of(), "http.prot", "unknown key");
        assertProblem("htp:\n  port: 1\n", Map.of(), "htp", "unknown key");
        assertProblem("http: 5\n", Map.of(), "http", "must be a mapping");
    }

    @Test
    void unknownVariablesArePassedOverAndNamedSoThatAPlatformsOwnDoNotStopTheStart() throws Exception {
        // what Kubernetes injects for a Service named telesignal, beside a known key
        ServerConfig config = load(null, Map.of("TELESIGNAL_PORT", "tcp://10.0.0.7:8443",
                "TELESIGNAL_SERVICE_HOST", "10.0.0.7", "TELESIGNAL_HTTP_PORT", "9443"));
        assertThat(config.ignoredVariables()).containsExactly("TELESIGNAL_PORT", "TELESIGNAL_SERVICE_HOST");
        assertThat(config.http().port()).isEqualTo(9443);
        // a bad value of a known key still stops the start
        assertProblem(null, Map.of("TELESIGNAL_PORT", "x", "TELESIGNAL_HTTP_PORT", "eighty"), "http.port", "whole number");
    }

    @Test
    void proxiesMustBeTrustedByAddress() throws Exception {
        assertProblem("http:\n  proxyProtocol: true\n", Map.of(), "http.proxyProtocol", "needs http.trustedProxies");
        assertProblem("http:\n  forwardedFor: true\n", Map.of(), "http.forwardedFor", "needs http.trustedProxies");
        assertProblem("http:\n  trustedProxies: [lb.example.org]\n", Map.of(), "http.trustedProxies",
                "not an IP address or CIDR range");
        ServerConfig config = load(null, Map.of("TELESIGNAL_HTTP_TRUSTED_PROXIES", "10.0.0.0/8,192.0.2.7",
                "TELESIGNAL_HTTP_PROXY_PROTOCOL", "true"));
        assertThat(config.http().clients().proxyProtocol()).isTrue();
        assertThat(config.http().clients().trustedProxies().contains(java.net.InetAddress.getByName("10.1.2.3"))).isTrue();
    }

    @Test
    void clusterModeNeedsRedisAndPostgres() throws Exception {
        assertProblem("cluster:\n  enabled: true\n", Map.of(), "redis.uri", "must be set when cluster.enabled");
        assertProblem("cluster:\n  enabled: true\nredis:\n  uri: redis://127.0.0.1:6379/0\n", Map.of(), "store.url",
                "cluster mode needs PostgreSQL");
        assertProblem("redis:\n  uri: http://x\n", Map.of(), "redis.uri", "must start with redis://");
        assertProblem("cluster:\n  heartbeatInterval: 2s\n  nodeTimeout: 3s\n", Map.of(), "cluster.nodeTimeout",
                "at least twice");
        ServerConfig config = load("cluster:\n  enabled: true\nredis:\n  uri: redis://127.0.0.1:6379/0\n"
                + "store:\n  url: jdbc:postgresql://127.0.0.1:5432/test\n", Map.of());
        assertThat(config.cluster().enabled()).isTrue();
        assertThat(config.cluster().redis().orElseThrow().keyPrefix()).isEqualTo("telesignal:");
        assertThat(load(null, Map.of()).cluster().enabled()).isFalse();
    }

    @Test
    void signInThrottleSettingsAreReadAndChecked() throws Exception {
        var defaults = load(null, Map.of()).signIn().throttle();
        assertThat(load(null, Map.of()).signIn().hashingThreads()).isEqualTo(2);
        assertThat(load(null, Map.of()).signIn().hashingQueue()).isEqualTo(64);
        assertThat(defaults.loginFailures()).isEqualTo(5);
        assertThat(defaults.addressFailures()).isEqualTo(50);
        assertThat(defaults.base()).hasSeconds(1);
        assertThat(defaults.max()).hasMinutes(15);
        assertThat(load("signIn:\n  freeFailuresPerLogin: 3\n", Map.of("TELESIGNAL_SIGN_IN_BACKOFF_BASE", "2s")).signIn()
                .throttle())
                .satisfies(s -> {
                    assertThat(s.loginFailures()).isEqualTo(3);
                    assertThat(s.base()).hasSeconds(2);
                });
        assertProblem("signIn:\n  freeFailuresPerLogin: 0\n", Map.of(), "signIn.freeFailuresPerLogin", "between");
        assertProblem("signIn:\n  backoffBase: 1m\n  backoffMax: 10s\n", Map.of(), "signIn.backoffMax",
                "at least signIn.backoffBase");
        assertProblem("signIn:\n  failureWindow: 1m\n", Map.of(), "signIn.failureWindow", "at least signIn.backoffMax");
        assertProblem("signIn:\n  hashingThreads: 0\n", Map.of(), "signIn.hashingThreads", "between");
    }

    @Test
    void sipProxySettingsAreReadAndChecked() throws Exception {
        ServerConfig.Sip defaults = load(null, Map.of()).sip();
        assertThat(defaults.advertisedHost()).isEmpty();
        assertThat(defaults.domains()).isEmpty();
        assertThat(defaults.timerC()).isEqualTo(java.time.Duration.ofMinutes(3));
        assertThat(defaults.tls()).isTrue();
        assertThat(defaults.tlsPort()).isEqualTo(5061);
        assertThat(load(null, Map.of("TELESIGNAL_SIP_TLS", "false")).sip().tls()).isFalse();
        assertProblem(null, Map.of("TELESIGNAL_SIP_TLS_PORT", "70000"), "sip.tlsPort", "");
        ServerConfig.Sip set = load(null, Map.of("TELESIGNAL_SIP_ADVERTISED_HOST", "SIP.Clinic.example",
                "TELESIGNAL_SIP_DOMAINS", "clinic.example,[2001:db8::1]", "TELESIGNAL_SIP_TIMER_C", "90s")).sip();
        assertThat(set.advertisedHost()).isEqualTo("sip.clinic.example");
        assertThat(set.domains()).containsExactly("clinic.example", "[2001:db8::1]");
        assertThat(set.timerC()).isEqualTo(java.time.Duration.ofSeconds(90));
        assertProblem(null, Map.of("TELESIGNAL_SIP_ADVERTISED_HOST", "sip:clinic.example"), "sip.advertisedHost",
                "must be a host name");
        assertProblem(null, Map.of("TELESIGNAL_SIP_DOMAINS", "clinic example"), "sip.domains", "must be a host name");
        assertProblem(null, Map.of("TELESIGNAL_SIP_TIMER_C", "0s"), "sip.timerC", "");
    }

    @Test
    void theMessageLimitLeavesRoomForTheLargestSdp() throws Exception {
        assertThat(load(null, Map.of()).signaling().webSocket().maxMessageBytes())
                .isGreaterThanOrEqualTo(2 * load(null, Map.of()).sdpMaxBytes() + ServerConfig.SDP_ENVELOPE);
        assertProblem("sdp:\n  maxBytes: 100000\n", Map.of(), "signaling.maxMessageBytes",
                "at least 2 x sdp.maxBytes + 8192 (208192)");
        assertThat(load("sdp:\n  maxBytes: 100000\nsignaling:\n  maxMessageBytes: 208192\n", Map.of()).sdpMaxBytes())
                .isEqualTo(100000);
    }

    @Test
    void rejoinGraceIsBounded() throws Exception {
        assertThat(load(null, Map.of()).consultations().rejoinGrace()).hasMinutes(2);
        assertProblem("consultations:\n  rejoinGrace: 1s\n", Map.of(), "consultations.rejoinGrace", "between");
    }

    @Test
    void badValuesNameTheirKey() {
        assertProblem("http:\n  port: 70000\n", Map.of(), "http.port", "between 0 and 65535");
        assertProblem("http:\n  port: eighty\n", Map.of(), "http.port", "whole number");
        assertProblem("http:\n  tls: maybe\n", Map.of(), "http.tls", "true or false");
        assertProblem("http:\n  idleTimeout: soon\n", Map.of(), "http.idleTimeout", "not a duration");
        assertProblem("tls:\n  protocols: [TLSv1.1]\n", Map.of(), "tls.protocols", "TLSv1.3 and/or TLSv1.2");
        assertProblem("tls:\n  provider: gnutls\n", Map.of(), "tls.provider", "auto, openssl or jdk");
        assertProblem("tls:\n  certificate: /x.pem\n", Map.of(), "tls.privateKey", "set together");
        assertProblem("store:\n  url: jdbc:mysql://x/y\n", Map.of(), "store.url", "jdbc:postgresql");
        assertProblem("store:\n  schema: \"Bad-Schema\"\n", Map.of(), "store.schema", "must match");
        assertProblem("tokens:\n  algorithm: none\n", Map.of(), "tokens.algorithm", "one of");
        assertProblem("tokens:\n  algorithm: RS256\n", Map.of(), "tokens.privateKey", "must be set");
        assertProblem("tokens:\n  ttl: 2d\n  maxTtl: 1d\n", Map.of(), "tokens.ttl", "must not exceed");
        assertProblem("tokens:\n  external:\n    jwksUrl: https://idp/jwks\n", Map.of(), "tokens.external.issuer",
                "must be set");
        assertProblem("tokens:\n  external:\n    jwksUrl: ftp://idp/jwks\n    issuer: i\n    audience: a\n", Map.of(),
                "tokens.external.jwksUrl", "http(s) URL");
        assertProblem("tokens:\n  external:\n    jwksUrl: http://idp.example/jwks\n    issuer: i\n    audience: a\n",
                Map.of(), "tokens.external.jwksUrl", "must use https");
        assertProblem("ice:\n  turnUrls: [turn:t.example.org]\n", Map.of(), "ice.turnSecret", "at least 16");
        assertProblem("ice:\n  stunUrls: [http://x]\n", Map.of(), "ice.stunUrls", "stun: or stuns:");
        assertProblem("directory:\n  passwordHash: md5\n", Map.of(), "directory.passwordHash", "one of");
        assertProblem("directory:\n  scramIterations: 100\n", Map.of(), "directory.scramIterations", "between 4096");
        assertProblem("logging:\n  format: xml\n", Map.of(), "logging.format", "one of");
        assertProblem("node:\n  id: \"bad id\"\n", Map.of(), "node.id", "must be 1-64");
        assertProblem("signaling:\n  rememberedRequests: 2000\n", Map.of(), "signaling.rememberedRequests",
                "between 1 and 1024");
    }

    @Test
    void brokenYamlIsRefusedWithItsLine() {
        assertProblem("http:\n  port: [1,\n", Map.of(), "--config", "not valid YAML");
        assertProblem("http:\n  port: 1\n  port: 2\n", Map.of(), "--config", "not valid YAML");
        assertProblem("- a\n- b\n", Map.of(), "--config", "mapping");
        assertThatThrownBy(() -> ServerConfig.load(Optional.of(dir.resolve("missing.yaml")), Map.of(), Map.of()))
                .isInstanceOf(ConfigException.class).hasMessageContaining("cannot read");
    }

    @Test
    void plainHttpOnlyOnLoopbackUnlessAllowed() throws Exception {
        assertProblem("http:\n  tls: false\n", Map.of(), "http.tls", "plain HTTP on non-loopback");
        assertThat(load("http:\n  tls: false\n  host: 127.0.0.1\n", Map.of()).http().tls()).isFalse();
        assertThat(load("http:\n  tls: false\n  host: \"::1\"\n", Map.of()).http().tls()).isFalse();
        assertThat(load("http:\n  tls: false\n  allowPlain: true\n", Map.of()).allowPlainHttp()).isTrue();
    }

    @Test
    void everyKeyIsDocumented() throws Exception {
        String docs = Files.readString(Path.of("..", "docs", "configuration.md"));
        for (String key : ConfigTree.keys(ConfigTree.defaults().root(), "")) {
            assertThat(docs).as("docs/configuration.md documents " + key).contains("`" + key + "`");
            assertThat(docs).as("docs/configuration.md names the variable of " + key)
                    .contains("`" + ConfigTree.variableFor(key) + "`");
        }
    }
}
