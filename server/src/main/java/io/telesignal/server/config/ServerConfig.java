package io.telesignal.server.config;

import io.telesignal.core.auth.TokenSettings;
import io.telesignal.core.directory.PasswordPolicy;
import io.telesignal.net.http.ListenerSettings;
import io.telesignal.net.tls.TlsSettings;
import io.telesignal.store.JdbcSettings;
import java.net.InetAddress;
import java.net.URL;
import java.net.UnknownHostException;
import java.nio.file.Path;
import java.time.Duration;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The whole configuration, read and validated once at start-up. Built by {@link #load}: defaults, then the
 * YAML file, then {@code TELESIGNAL_*} variables, then command-line overrides.
 */
public record ServerConfig(
        Path dataDir,
        String nodeId,
        ListenerSettings http,
        boolean allowPlainHttp,
        Optional<String> publicUrl,
        Management management,
        Sip sip,
        Xmpp xmpp,
        DataEncryption dataEncryption,
        TlsSettings tls,
        JdbcSettings store,
        boolean migrateOnStart,
        boolean h2Encryption,
        Directory directory,
        Tokens tokens,
        Workers workers,
        io.telesignal.signaling.ws.SignalingSettings signaling,
        Ice ice,
        int sdpMaxBytes,
        java.util.List<String> sdpCodecs,
        int maxParticipants,
        Duration chatRetention,
        Duration inviteTtl,
        int chatHistory,
        int auditQueue,
        Logging logging,
        Duration shutdownTimeout,
        Consultations consultations,
        SignIn signIn,
        Cluster cluster,
        java.util.List<String> ignoredVariables) {

    /**
     * Cluster mode: off for a single node. When on, {@code redis} says where the shared live state is.
     *
     * @param nodeTimeout  a node silent this long is dead
     * @param cleanupGrace after which one of the others cleans up what it held
     */
    public record Cluster(boolean enabled, Duration heartbeatInterval, Duration nodeTimeout, Duration cleanupGrace,
            Optional<io.telesignal.cluster.redis.RedisSettings> redis) {}

    /**
     * @param rejoinGrace how long someone whose endpoints were lost (their node died or restarted) keeps their place,
     *                    admitted or waiting, for coming back from a fresh endpoint
     */
    public record Consultations(Duration rejoinGrace) {}

    /**
     * The management listener: {@code /metrics}, {@code /healthz} and {@code /readyz} in plain HTTP, by default on
     * 127.0.0.1 only; off the loopback it requires the bearer secret in {@code bearerTokenFile}.
     */
    public record Management(boolean enabled, ListenerSettings listener, Optional<Path> bearerTokenFile) {}

    /**
     * The key-encryption key that wraps the data keys of the encrypted columns (chat text, display names): given in
     * {@code key} (base64, 32 bytes; usually from the environment), or read from {@code keyFile}, generated there on a
     * single node's first start.
     */
    public record DataEncryption(Optional<String> key, Path keyFile) {
        @Override
        public String toString() {
            return "DataEncryption[key=" + (key.isPresent() ? "(set)" : "(none)") + ", keyFile=" + keyFile + "]";
        }
    }

    /**
     * The SIP front door: UDP and TCP listeners, the codec's limits, the registrar and the proxy.
     *
     * @param advertisedHost the host in this node's Vias, Record-Routes and Paths; empty: worked out at start
     * @param domains        SIP domains this server serves, besides its realm, advertised host and addresses
     * @param timerC         how long an INVITE branch may ring before the proxy cancels it
     * @param idleTimeout a TCP connection silent this long is closed
     * @param ratePerAddress messages a second from one address (UDP: more are dropped; TCP: 503 Retry-After)
     */
    /**
     * The XMPP front door: client connections on {@code port} (STARTTLS required) and, when {@code directTls}, on
     * {@code directTlsPort} with TLS from the first byte; the stream and session settings in {@code settings}.
     */
    public record Xmpp(boolean enabled, String host, int port, boolean directTls, int directTlsPort,
            io.telesignal.xmpp.XmppSettings settings, Duration idleTimeout, int maxConnections, int maxRosterItems,
            Duration offlineRetention, boolean webSocket, boolean archive, Duration archiveRetention,
            Optional<io.telesignal.xmpp.muc.MucSettings> muc, Optional<io.telesignal.xmpp.pep.PepSettings> pep,
            int maxBlockedJids, Optional<io.telesignal.xmpp.component.ComponentSettings> components,
            Optional<io.telesignal.xmpp.upload.UploadSettings> upload) {}

    public record Sip(boolean enabled, String host, int udpPort, int tcpPort,
            io.telesignal.sip.message.SipLimits limits, Duration idleTimeout, int maxConnections, int ratePerAddress,
            int burstPerAddress, io.telesignal.sip.registrar.Registrar.Settings registrar, Duration nonceLifetime,
            java.util.List<String> digestAlgorithms, String advertisedHost, java.util.List<String> domains,
            Duration timerC, boolean tls, int tlsPort, boolean webSocket) {}

    /**
     * Password sign-in: the throttle on guessing, and the pool of its own that hashes passwords (Argon2id), so that a
     * flood of sign-ins waits there and never holds up signaling on the shared workers.
     */
    public record SignIn(io.telesignal.core.auth.SignInThrottle.Settings throttle, int hashingThreads,
            int hashingQueue) {}

    /**
     * @param devicePasswordsPerUser     how many device passwords (SIP phones, XMPP clients) one user may hold
     * @param minDevicePasswordLength    the shortest device password a platform may give instead of a generated one
     * @param credentialCacheTtl         how long a node keeps a user and their device passwords between checks
     */
    public record Directory(String sipRealm, String passwordHash, PasswordPolicy passwordPolicy, int scramIterations,
            int devicePasswordsPerUser, int minDevicePasswordLength, Duration credentialCacheTtl) {}

    /**
     * @param algorithm  HS256, RS256 or ES256
     * @param secretFile the HS256 secret's file
     */
    public record Tokens(String algorithm, Path secretFile, Optional<Path> privateKey, Optional<Path> publicKey,
            TokenSettings settings) {}

    /**
     * @param ioThreads Netty I/O threads; 0 for one per core
     * @param ioTransport {@code auto} (epoll where it loads, else NIO), {@code epoll} or {@code nio}
     */
    public record Workers(int threads, int queue, int ioThreads, String ioTransport) {}

    /** @param clientAddresses how client IP addresses appear in log lines (full, truncated, none) */
    public record Logging(String format, String level, io.telesignal.core.ClientAddresses.Mode clientAddresses) {}

    /** STUN and TURN servers for clients; TURN credentials are signed with {@code turnSecret}. */
    public record Ice(java.util.List<String> stunUrls, java.util.List<String> turnUrls, String turnSecret,
            Duration turnTtl) {}

    /** Reads the configuration; every problem is a {@link ConfigException} naming the key. */
    public static ServerConfig load(Optional<Path> file, Map<String, String> env, Map<String, String> overrides) {
        ConfigTree tree = ConfigTree.defaults();
        Optional<Path> configFile = file.or(() -> Optional.ofNullable(env.get("TELESIGNAL_CONFIG"))
                .filter(s -> !s.isBlank()).map(Path::of));
        configFile.ifPresent(tree::overlayFile);
        java.util.List<String> ignored = tree.overlayEnvironment(env);
        overrides.forEach(tree::set);
        return read(new ConfigReader(tree.root()), ignored);
    }

    private static ServerConfig read(ConfigReader r, java.util.List<String> ignoredVariables) {
        Path dataDir = r.optionalPath("dataDir").orElseThrow(() -> new ConfigException("dataDir", "must be set"));
        String nodeId = r.optionalString("node.id").orElseGet(ServerConfig::hostName);
        if (!nodeId.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}")) {
            throw new ConfigException("node.id", "must be 1-64 characters of [A-Za-z0-9._-] (got '" + nodeId + "')");
        }

        String host = r.string("http.host");
        boolean tlsOn = r.bool("http.tls");
        boolean allowPlain = r.bool("http.allowPlain");
        if (!tlsOn && !allowPlain && !isLoopback(host)) {
            throw new ConfigException("http.tls", "plain HTTP on non-loopback address " + host
                    + " is refused; enable TLS, bind to 127.0.0.1, or set http.allowPlain: true (behind a TLS proxy)");
        }
        ListenerSettings http = new ListenerSettings(host, r.integer("http.port", 0, 65535), tlsOn,
                r.integer("http.maxConnections", 1, 1_000_000), r.integer("http.maxConnectionsPerIp", 1, 1_000_000),
                r.integer("http.maxRequestBytes", 1024, 64 * 1024 * 1024),
                r.duration("http.idleTimeout", Duration.ofSeconds(1), Duration.ofDays(1)), clients(r));

        TlsSettings tls = tls(r);
        JdbcSettings store = store(r, dataDir);

        String passwordHash = r.oneOf("directory.passwordHash", Set.of("argon2id", "pbkdf2"));
        String realm = r.string("directory.sipRealm");
        if (realm.isEmpty() || realm.contains("\"")) {
            throw new ConfigException("directory.sipRealm", "must be non-empty and contain no double quote");
        }
        int minPassword = r.integer("directory.minPasswordLength", 8, 1024);
        Directory directory = new Directory(realm, passwordHash, new PasswordPolicy(minPassword, 1024),
                r.integer("directory.scramIterations", 4096, 10_000_000),
                r.integer("directory.devicePasswordsPerUser", 1, 1000), r.integer("directory.minDevicePasswordLength", 8, 128),
                r.duration("directory.credentialCacheTtl", Duration.ZERO, Duration.ofSeconds(60)));

        Tokens tokens = tokens(r, dataDir);
        Workers workers = new Workers(r.integer("workers.threads", 1, 1024), r.integer("workers.queue", 1, 1_000_000),
                r.integer("workers.ioThreads", 0, 1024), r.oneOf("workers.ioTransport", Set.of("auto", "epoll", "nio")));
        Logging logging = new Logging(r.oneOf("logging.format", Set.of("text", "json")),
                r.oneOf("logging.level", Set.of("error", "warn", "info", "debug", "trace")),
                io.telesignal.core.ClientAddresses.Mode.valueOf(r.oneOf("logging.clientAddresses",
                        Set.of("full", "truncated", "none")).toUpperCase(java.util.Locale.ROOT)));

        Duration pingInterval = r.duration("signaling.pingInterval", Duration.ofSeconds(1), Duration.ofMinutes(10));
        Duration idleTimeout = r.duration("signaling.idleTimeout", Duration.ofSeconds(2), Duration.ofHours(1));
        if (idleTimeout.compareTo(pingInterval) <= 0) {
            throw new ConfigException("signaling.idleTimeout", "must be longer than signaling.pingInterval");
        }
        var signaling = new io.telesignal.signaling.ws.SignalingSettings(
                new io.telesignal.net.websocket.WebSocketSettings(
                        r.integer("signaling.maxMessageBytes", 1024, 16 * 1024 * 1024), pingInterval, idleTimeout,
                        r.duration("signaling.fragmentTimeout", Duration.ofMillis(100), Duration.ofMinutes(10))),
                new io.telesignal.signaling.session.SessionSettings(
                        r.duration("signaling.resumeWindow", Duration.ofSeconds(1), Duration.ofHours(1)),
                        r.integer("signaling.bufferMessages", 1, 1_000_000),
                        r.integer("signaling.bufferBytes", 1024, Integer.MAX_VALUE),
                        r.integer("signaling.rememberedRequests", 1,
                                io.telesignal.signaling.session.SessionSettings.MAX_REMEMBERED_REQUESTS),
                        r.integer("signaling.maxSessionsPerUser", 1, 10_000),
                        r.duration("signaling.signalAckDelay", Duration.ZERO, Duration.ofSeconds(1))),
                r.duration("signaling.helloTimeout", Duration.ofMillis(100), Duration.ofMinutes(5)),
                rateLimits(r), r.bool("signaling.colocatePeers")
                        ? Optional.of(r.duration("signaling.peerMoveInterval", Duration.ofMillis(100), Duration.ofHours(1)))
                        : Optional.empty());
        int sdpMaxBytes = r.integer("sdp.maxBytes", 1024, 1024 * 1024);
        if (signaling.webSocket().maxMessageBytes() < 2L * sdpMaxBytes + SDP_ENVELOPE) {
            throw new ConfigException("signaling.maxMessageBytes", "must be at least 2 x sdp.maxBytes + " + SDP_ENVELOPE
                    + " (" + (2L * sdpMaxBytes + SDP_ENVELOPE) + "): the largest SDP allowed, escaped in JSON, and its"
                    + " message must fit, or an SDP over the limit closes the connection (1009) instead of being"
                    + " answered sdp_too_large");
        }
        Optional<String> publicUrl = r.optionalString("http.publicUrl").map(url -> url.endsWith("/")
                ? url.substring(0, url.length() - 1) : url);
        if (publicUrl.isPresent() && !publicUrl.get().matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            throw new ConfigException("http.publicUrl", "must be an http(s) URL without query or fragment");
        }
        return new ServerConfig(dataDir, nodeId, http, allowPlain, publicUrl, management(r), sip(r), xmpp(r), new DataEncryption(r.optionalString("dataEncryption.key"),
                r.optionalPath("dataEncryption.keyFile").orElse(dataDir.resolve("secrets").resolve("data-kek.key"))),
                tls, store,
                r.bool("store.migrateOnStart"), r.bool("store.h2Encryption"), directory, tokens, workers, signaling, ice(r),
                sdpMaxBytes, r.list("sdp.codecs"),
                r.integer("consultations.maxParticipants", 2, 100),
                r.duration("chat.retention", Duration.ofHours(1), Duration.ofDays(3650)),
                r.duration("invites.ttl", Duration.ofMinutes(1), Duration.ofDays(30)),
                r.integer("chat.historyOnJoin", 0, 200), r.integer("audit.queue", 1, 10_000_000),
                logging, r.duration("shutdown.timeout", Duration.ofMillis(100), Duration.ofHours(1)),
                new Consultations(r.duration("consultations.rejoinGrace", Duration.ofSeconds(5), Duration.ofDays(1))),
                signIn(r), cluster(r, store), ignoredVariables);
    }

    /** Room for a signal's envelope around its SDP (ids, type, consultation, endpoint, candidate fields). */
    static final int SDP_ENVELOPE = 8192;

    private static SignIn signIn(ConfigReader r) {
        Duration base = r.duration("signIn.backoffBase", Duration.ofMillis(100), Duration.ofHours(1));
        Duration max = r.duration("signIn.backoffMax", Duration.ofMillis(100), Duration.ofDays(1));
        Duration window = r.duration("signIn.failureWindow", Duration.ofSeconds(1), Duration.ofDays(7));
        if (max.compareTo(base) < 0) {
            throw new ConfigException("signIn.backoffMax", "must be at least signIn.backoffBase");
        }
        if (window.compareTo(max) < 0) {
            throw new ConfigException("signIn.failureWindow", "must be at least signIn.backoffMax");
        }
        return new SignIn(new io.telesignal.core.auth.SignInThrottle.Settings(
                r.integer("signIn.freeFailuresPerLogin", 1, 1000), r.integer("signIn.freeFailuresPerAddress", 1, 100_000),
                base, max, window), r.integer("signIn.hashingThreads", 1, 256), r.integer("signIn.hashingQueue", 1, 100_000));
    }

    private static Cluster cluster(ConfigReader r, JdbcSettings store) {
        boolean enabled = r.bool("cluster.enabled");
        Duration heartbeat = r.duration("cluster.heartbeatInterval", Duration.ofMillis(100), Duration.ofMinutes(1));
        Duration timeout = r.duration("cluster.nodeTimeout", Duration.ofMillis(300), Duration.ofMinutes(10));
        Duration grace = r.duration("cluster.cleanupGrace", Duration.ZERO, Duration.ofHours(1));
        if (timeout.compareTo(heartbeat.multipliedBy(2)) < 0) {
            throw new ConfigException("cluster.nodeTimeout", "must be at least twice cluster.heartbeatInterval");
        }
        Optional<String> uri = r.optionalString("redis.uri");
        Optional<io.telesignal.cluster.redis.RedisSettings> redis = Optional.empty();
        if (uri.isPresent()) {
            try {
                redis = Optional.of(new io.telesignal.cluster.redis.RedisSettings(uri.get(), r.string("redis.keyPrefix"),
                        r.duration("redis.timeout", Duration.ofMillis(50), Duration.ofMinutes(1))));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("redis.uri", e.getMessage());
            }
        }
        if (enabled && redis.isEmpty()) {
            throw new ConfigException("redis.uri", "must be set when cluster.enabled is true");
        }
        if (enabled && store.isH2()) {
            throw new ConfigException("store.url", "cluster mode needs PostgreSQL: the embedded H2 cannot be shared");
        }
        return new Cluster(enabled, heartbeat, timeout, grace, redis);
    }

    private static Xmpp xmpp(ConfigReader r) {
        int rate = r.integer("xmpp.stanzaRate", 1, 1_000_000);
        int burst = r.integer("xmpp.stanzaBurst", 1, 10_000_000);
        if (burst < rate) {
            throw new ConfigException("xmpp.stanzaBurst", "must be at least xmpp.stanzaRate");
        }
        String domain = r.string("xmpp.domain").strip().toLowerCase(java.util.Locale.ROOT);
        if (domain.isEmpty() || domain.length() > 253
                || !domain.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.')) {
            throw new ConfigException("xmpp.domain", "must be a DNS domain name");
        }
        return new Xmpp(r.bool("xmpp.enabled"), r.string("xmpp.host"), r.integer("xmpp.port", 0, 65535),
                r.bool("xmpp.directTls"), r.integer("xmpp.directTlsPort", 0, 65535),
                new io.telesignal.xmpp.XmppSettings(domain, r.integer("xmpp.maxStanzaBytes", 10_000, 16 * 1024 * 1024),
                        r.integer("xmpp.maxDepth", 2, 1000), r.integer("xmpp.maxAuthAttempts", 2, 5),
                        r.duration("xmpp.authFailureDelay", Duration.ZERO, Duration.ofSeconds(30)),
                        r.integer("xmpp.maxSessionsPerUser", 1, 1000), r.bool("xmpp.plain"), rate, burst,
                        r.integer("xmpp.maxOfflineMessages", 0, 100_000),
                        r.duration("xmpp.resumeWindow", Duration.ZERO, Duration.ofHours(1)),
                        r.integer("xmpp.maxUnackedStanzas", 10, 100_000),
                        r.integer("xmpp.maxHeldWhileInactive", 1, 10_000)),
                r.duration("xmpp.idleTimeout", Duration.ofSeconds(10), Duration.ofDays(1)),
                r.integer("xmpp.maxConnections", 1, 1_000_000), r.integer("xmpp.maxRosterItems", 1, 100_000),
                r.duration("xmpp.offlineRetention", Duration.ofHours(1), Duration.ofDays(3650)), r.bool("xmpp.webSocket"), r.bool("xmpp.archive"),
                r.duration("xmpp.archiveRetention", Duration.ofDays(1), Duration.ofDays(36500)), muc(r, domain),
                r.bool("xmpp.pep.enabled") ? Optional.of(new io.telesignal.xmpp.pep.PepSettings(
                        r.integer("xmpp.pep.maxNodes", 1, 10_000), r.integer("xmpp.pep.maxItems", 1, 10_000),
                        r.integer("xmpp.pep.maxItemBytes", 256, 512 * 1024))) : Optional.empty(),
                r.integer("xmpp.maxBlockedJids", 1, 100_000), components(r, domain), upload(r, domain));
    }

    /** HTTP file upload (XEP-0363) at {@code xmpp.upload.domain}, by default {@code upload.<xmpp.domain>}. */
    private static Optional<io.telesignal.xmpp.upload.UploadSettings> upload(ConfigReader r, String xmppDomain) {
        if (!r.bool("xmpp.upload.enabled")) {
            return Optional.empty();
        }
        String domain = uploadDomain(r, xmppDomain);
        if (domain.equals(xmppDomain) || muc(r, xmppDomain).map(m -> m.domain().equals(domain)).orElse(false)
                || !domain.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.')) {
            throw new ConfigException("xmpp.upload.domain", "must be a DNS domain name other than xmpp.domain and the rooms'");
        }
        Optional<String> base = r.optionalString("xmpp.upload.baseUrl").map(url -> url.endsWith("/")
                ? url.substring(0, url.length() - 1) : url);
        if (base.isPresent() && !base.get().matches("https?://[^/?#\\s]+(/[^?#\\s]*)?")) {
            throw new ConfigException("xmpp.upload.baseUrl", "must be an http(s) URL without a query");
        }
        long max = r.integer("xmpp.upload.maxFileSize", 1, 512 * 1024 * 1024);
        long quota = r.integer("xmpp.upload.quota", 1, Integer.MAX_VALUE);
        if (quota < max) {
            throw new ConfigException("xmpp.upload.quota", "must be at least xmpp.upload.maxFileSize");
        }
        return Optional.of(new io.telesignal.xmpp.upload.UploadSettings(domain, max, quota,
                r.duration("xmpp.upload.slotTtl", Duration.ofSeconds(10), Duration.ofDays(1)),
                r.duration("xmpp.upload.retention", Duration.ofHours(1), Duration.ofDays(36500)), base));
    }

    private static String uploadDomain(ConfigReader r, String xmppDomain) {
        return r.optionalString("xmpp.upload.domain").map(d -> d.strip().toLowerCase(java.util.Locale.ROOT))
                .filter(d -> !d.isEmpty()).orElse("upload." + xmppDomain);
    }

    /** External components (XEP-0114): their listener and the secrets file naming each one's domain and secret. */
    private static Optional<io.telesignal.xmpp.component.ComponentSettings> components(ConfigReader r, String xmppDomain) {
        if (!r.bool("xmpp.components.enabled")) {
            return Optional.empty();
        }
        Path file = r.optionalPath("xmpp.components.secretsFile").orElseThrow(() -> new ConfigException(
                "xmpp.components.secretsFile", "must be set when xmpp.components.enabled is true"));
        java.util.Set<String> taken = new java.util.HashSet<>(java.util.Set.of(xmppDomain));
        muc(r, xmppDomain).ifPresent(muc -> taken.add(muc.domain()));
        if (r.bool("xmpp.upload.enabled")) {
            taken.add(uploadDomain(r, xmppDomain));
        }
        java.util.Map<String, String> secrets;
        try {
            secrets = io.telesignal.xmpp.component.ComponentSecrets.read(file, taken);
        } catch (IllegalArgumentException e) {
            throw new ConfigException("xmpp.components.secretsFile", e.getMessage());
        }
        int rate = r.integer("xmpp.components.stanzaRate", 1, 1_000_000);
        int burst = r.integer("xmpp.components.stanzaBurst", 1, 10_000_000);
        if (burst < rate) {
            throw new ConfigException("xmpp.components.stanzaBurst", "must be at least xmpp.components.stanzaRate");
        }
        return Optional.of(new io.telesignal.xmpp.component.ComponentSettings(r.string("xmpp.components.host"),
                r.integer("xmpp.components.port", 0, 65535), secrets, rate, burst,
                r.duration("xmpp.idleTimeout", Duration.ofSeconds(10), Duration.ofDays(1)),
                r.integer("xmpp.components.maxConnections", 1, 10_000)));
    }

    /** Group chat (XEP-0045) at {@code xmpp.muc.domain}, by default {@code conference.<xmpp.domain>}. */
    private static Optional<io.telesignal.xmpp.muc.MucSettings> muc(ConfigReader r, String xmppDomain) {
        if (!r.bool("xmpp.muc.enabled")) {
            return Optional.empty();
        }
        String domain = r.optionalString("xmpp.muc.domain").map(d -> d.strip().toLowerCase(java.util.Locale.ROOT))
                .filter(d -> !d.isEmpty()).orElse("conference." + xmppDomain);
        if (domain.length() > 253 || domain.equals(xmppDomain)
                || !domain.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.')) {
            throw new ConfigException("xmpp.muc.domain", "must be a DNS domain name other than xmpp.domain");
        }
        java.util.Set<io.telesignal.core.identity.Role> creators = new java.util.HashSet<>();
        for (String role : r.list("xmpp.muc.creators")) {
            try {
                creators.add(io.telesignal.core.identity.Role.fromWireName(role.strip()));
            } catch (IllegalArgumentException e) {
                throw new ConfigException("xmpp.muc.creators", e.getMessage());
            }
        }
        return Optional.of(new io.telesignal.xmpp.muc.MucSettings(domain, creators,
                r.integer("xmpp.muc.maxRoomsPerUser", 0, 100_000), r.integer("xmpp.muc.maxOccupants", 1, 10_000),
                r.integer("xmpp.muc.historySize", 0, 1000), r.bool("xmpp.muc.persistent")));
    }

    private static Sip sip(ConfigReader r) {
        int maxMessage = r.integer("sip.maxMessageBytes", 1024, 1024 * 1024);
        int maxHeader = r.integer("sip.maxHeaderBytes", 256, 1024 * 1024);
        if (maxHeader > maxMessage) {
            throw new ConfigException("sip.maxHeaderBytes", "must not exceed sip.maxMessageBytes");
        }
        int rate = r.integer("sip.ratePerAddress", 1, 10_000_000);
        int burst = r.integer("sip.burstPerAddress", 1, 10_000_000);
        if (burst < rate) {
            throw new ConfigException("sip.burstPerAddress", "must be at least sip.ratePerAddress");
        }
        return new Sip(r.bool("sip.enabled"), r.string("sip.host"), r.integer("sip.udpPort", 0, 65535),
                r.integer("sip.tcpPort", 0, 65535), new io.telesignal.sip.message.SipLimits(maxMessage,
                        r.integer("sip.maxHeaders", 8, 10_000), maxHeader),
                r.duration("sip.idleTimeout", Duration.ofSeconds(1), Duration.ofDays(1)),
                r.integer("sip.maxConnections", 1, 1_000_000), rate, burst, registrar(r),
                r.duration("sip.nonceLifetime", Duration.ofSeconds(10), Duration.ofHours(1)), digestAlgorithms(r),
                sipHost(r, "sip.advertisedHost", true), r.list("sip.domains").stream()
                        .map(d -> sipHost(d, "sip.domains", false)).toList(),
                r.duration("sip.timerC", Duration.ofSeconds(1), Duration.ofHours(1)), r.bool("sip.tls"),
                r.integer("sip.tlsPort", 0, 65535), r.bool("sip.webSocket"));
    }

    private static String sipHost(ConfigReader r, String key, boolean emptyAllowed) {
        return sipHost(r.string(key).strip(), key, emptyAllowed);
    }

    /** A host name or IP literal as a SIP URI holds it (IPv6 in brackets); empty only where that means "work it out". */
    private static String sipHost(String host, String key, boolean emptyAllowed) {
        if (host.isEmpty() && emptyAllowed) {
            return host;
        }
        boolean ipv6 = host.startsWith("[") && host.endsWith("]") && host.length() > 2
                && host.substring(1, host.length() - 1).chars().allMatch(c -> Character.digit(c, 16) >= 0 || c == ':');
        if (!ipv6 && (host.isEmpty() || host.length() > 253
                || !host.chars().allMatch(c -> Character.isLetterOrDigit(c) && c < 128 || c == '-' || c == '.'))) {
            throw new ConfigException(key, "must be a host name or an IP address (IPv6 in brackets)");
        }
        return host.toLowerCase(java.util.Locale.ROOT);
    }

    private static java.util.List<String> digestAlgorithms(ConfigReader r) {
        java.util.List<String> algorithms = r.list("sip.digestAlgorithms").stream()
                .map(a -> a.strip().toUpperCase(java.util.Locale.ROOT)).toList();
        if (algorithms.isEmpty() || !java.util.List.of("SHA-256", "MD5").containsAll(algorithms)
                || algorithms.stream().distinct().count() != algorithms.size()) {
            throw new ConfigException("sip.digestAlgorithms", "must list SHA-256 and/or MD5, each once");
        }
        return algorithms;
    }

    private static io.telesignal.sip.registrar.Registrar.Settings registrar(ConfigReader r) {
        int min = r.integer("sip.minExpires", 1, 86_400);
        int dflt = r.integer("sip.defaultExpires", 1, 86_400);
        int max = r.integer("sip.maxExpires", 1, 86_400);
        if (dflt < min || max < dflt) {
            throw new ConfigException("sip.defaultExpires", "must be between sip.minExpires and sip.maxExpires");
        }
        return new io.telesignal.sip.registrar.Registrar.Settings(min, dflt, max);
    }

    private static Management management(ConfigReader r) {
        String host = r.string("management.host");
        Optional<Path> bearer = r.optionalPath("management.bearerTokenFile");
        boolean enabled = r.bool("management.enabled");
        if (enabled && bearer.isEmpty() && !isLoopback(host)) {
            throw new ConfigException("management.bearerTokenFile", "must be set when management.host (" + host
                    + ") is not a loopback address: /metrics would be readable by anyone who reaches it");
        }
        return new Management(enabled, new ListenerSettings(host, r.integer("management.port", 0, 65535), false, 64, 64,
                8192, Duration.ofSeconds(60), ListenerSettings.Clients.DIRECT), bearer);
    }

    private static ListenerSettings.Clients clients(ConfigReader r) {
        io.telesignal.net.proxy.TrustedProxies trusted;
        try {
            trusted = io.telesignal.net.proxy.TrustedProxies.parse(r.list("http.trustedProxies"));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("http.trustedProxies", e.getMessage());
        }
        boolean proxyProtocol = r.bool("http.proxyProtocol");
        boolean forwardedFor = r.bool("http.forwardedFor");
        if ((proxyProtocol || forwardedFor) && trusted.isEmpty()) {
            throw new ConfigException(proxyProtocol ? "http.proxyProtocol" : "http.forwardedFor",
                    "needs http.trustedProxies: the addresses of the proxies whose word is believed");
        }
        return new ListenerSettings.Clients(trusted, proxyProtocol, forwardedFor);
    }

    private static TlsSettings tls(ConfigReader r) {
        Optional<Path> certificate = r.optionalPath("tls.certificate");
        Optional<Path> key = r.optionalPath("tls.privateKey");
        if (certificate.isPresent() != key.isPresent()) {
            throw new ConfigException(certificate.isPresent() ? "tls.privateKey" : "tls.certificate",
                    "tls.certificate and tls.privateKey must be set together");
        }
        var protocols = r.list("tls.protocols");
        if (protocols.isEmpty() || !TlsSettings.ALLOWED_PROTOCOLS.containsAll(protocols)) {
            throw new ConfigException("tls.protocols", "must list TLSv1.3 and/or TLSv1.2 (got " + protocols + ")");
        }
        var names = r.list("tls.selfSignedNames");
        if (names.isEmpty()) {
            throw new ConfigException("tls.selfSignedNames", "must name at least one host");
        }
        io.telesignal.net.tls.TlsContexts.Provider provider;
        try {
            provider = io.telesignal.net.tls.TlsContexts.Provider.valueOf(
                    r.string("tls.provider").strip().toUpperCase(java.util.Locale.ROOT));
        } catch (IllegalArgumentException e) {
            throw new ConfigException("tls.provider", "must be auto, openssl or jdk");
        }
        return new TlsSettings(certificate, key, names, protocols, provider);
    }

    private static JdbcSettings store(ConfigReader r, Path dataDir) {
        String url = r.optionalString("store.url")
                .orElse("jdbc:h2:file:" + dataDir.toAbsolutePath().resolve("db").resolve("telesignal")
                        + ";DB_CLOSE_ON_EXIT=FALSE");
        if (!url.startsWith("jdbc:h2:") && !url.startsWith("jdbc:postgresql:")) {
            throw new ConfigException("store.url", "must be a jdbc:postgresql: or jdbc:h2: URL");
        }
        Optional<String> schema = r.optionalString("store.schema");
        if (schema.isPresent() && !schema.get().matches("[a-z_][a-z0-9_]{0,62}")) {
            throw new ConfigException("store.schema", "must match [a-z_][a-z0-9_]{0,62}");
        }
        String username = r.optionalString("store.username").orElse(url.startsWith("jdbc:h2:") ? "sa" : "");
        return new JdbcSettings(url, username, r.string("store.password"), schema, r.integer("store.poolSize", 1, 200),
                r.duration("store.connectionTimeout", Duration.ofMillis(250), Duration.ofMinutes(5)));
    }

    private static Tokens tokens(ConfigReader r, Path dataDir) {
        String algorithm = r.oneOf("tokens.algorithm", Set.of("HS256", "RS256", "ES256"));
        Optional<Path> privateKey = r.optionalPath("tokens.privateKey");
        Optional<Path> publicKey = r.optionalPath("tokens.publicKey");
        if (!algorithm.equals("HS256") && (privateKey.isEmpty() || publicKey.isEmpty())) {
            throw new ConfigException(privateKey.isEmpty() ? "tokens.privateKey" : "tokens.publicKey",
                    "must be set when tokens.algorithm is " + algorithm);
        }
        Path secretFile = r.optionalPath("tokens.secretFile")
                .orElse(dataDir.resolve("secrets").resolve("jwt-hs256.key"));
        Duration ttl = r.duration("tokens.ttl", Duration.ofSeconds(10), Duration.ofDays(365));
        Duration maxTtl = r.duration("tokens.maxTtl", Duration.ofSeconds(10), Duration.ofDays(365));
        if (ttl.compareTo(maxTtl) > 0) {
            throw new ConfigException("tokens.ttl", "must not exceed tokens.maxTtl (" + maxTtl + ")");
        }
        Optional<URL> jwks = r.optionalUrl("tokens.external.jwksUrl");
        Optional<TokenSettings.ExternalIssuer> external = Optional.empty();
        if (jwks.isPresent()) {
            String issuer = r.optionalString("tokens.external.issuer").orElseThrow(() ->
                    new ConfigException("tokens.external.issuer", "must be set with tokens.external.jwksUrl"));
            String audience = r.optionalString("tokens.external.audience").orElseThrow(() ->
                    new ConfigException("tokens.external.audience", "must be set with tokens.external.jwksUrl"));
            external = Optional.of(new TokenSettings.ExternalIssuer(issuer, audience, jwks.get(),
                    r.optionalString("tokens.external.loginClaim").orElse("sub")));
        }
        String issuer = r.optionalString("tokens.issuer").orElseThrow(() -> new ConfigException("tokens.issuer", "must be set"));
        String audience = r.optionalString("tokens.audience").orElseThrow(() -> new ConfigException("tokens.audience", "must be set"));
        if (external.isPresent() && external.get().issuer().equals(issuer)) {
            throw new ConfigException("tokens.external.issuer", "must differ from tokens.issuer");
        }
        TokenSettings settings = new TokenSettings(issuer, audience, ttl, maxTtl,
                r.duration("tokens.clockSkew", Duration.ZERO, Duration.ofMinutes(10)), external);
        return new Tokens(algorithm, secretFile, privateKey, publicKey, settings);
    }

    private static io.telesignal.signaling.ws.RateLimitSettings rateLimits(ConfigReader r) {
        int connectionRate = r.integer("signaling.rateLimit.connectionPerSecond", 1, 100_000);
        int connectionBurst = r.integer("signaling.rateLimit.connectionBurst", 1, 1_000_000);
        int addressRate = r.integer("signaling.rateLimit.addressPerSecond", 1, 1_000_000);
        int addressBurst = r.integer("signaling.rateLimit.addressBurst", 1, 10_000_000);
        if (connectionBurst < connectionRate) {
            throw new ConfigException("signaling.rateLimit.connectionBurst", "must be at least connectionPerSecond");
        }
        if (addressBurst < addressRate) {
            throw new ConfigException("signaling.rateLimit.addressBurst", "must be at least addressPerSecond");
        }
        return new io.telesignal.signaling.ws.RateLimitSettings(connectionRate, connectionBurst, addressRate, addressBurst);
    }

    private static Ice ice(ConfigReader r) {
        var stun = r.list("ice.stunUrls");
        var turn = r.list("ice.turnUrls");
        for (String url : stun) {
            if (!url.startsWith("stun:") && !url.startsWith("stuns:")) {
                throw new ConfigException("ice.stunUrls", "must be stun: or stuns: URLs (got '" + url + "')");
            }
        }
        for (String url : turn) {
            if (!url.startsWith("turn:") && !url.startsWith("turns:")) {
                throw new ConfigException("ice.turnUrls", "must be turn: or turns: URLs (got '" + url + "')");
            }
        }
        String secret = r.string("ice.turnSecret");
        if (!turn.isEmpty() && secret.length() < 16) {
            throw new ConfigException("ice.turnSecret", "must be at least 16 characters when ice.turnUrls is set");
        }
        return new Ice(stun, turn, secret, r.duration("ice.turnTtl", Duration.ofMinutes(1), Duration.ofDays(7)));
    }

    static boolean isLoopback(String host) {
        if (host.equals("localhost")) {
            return true;
        }
        try {
            // only literal addresses: resolving a name here would make the check depend on DNS
            if (!host.matches("[0-9.]+|[0-9a-fA-F:]+")) {
                return false;
            }
            return InetAddress.getByName(host).isLoopbackAddress();
        } catch (UnknownHostException e) {
            return false;
        }
    }

    private static String hostName() {
        try {
            String name = InetAddress.getLocalHost().getHostName().replaceAll("[^A-Za-z0-9._-]", "-");
            return name.isEmpty() ? "node-1" : name.substring(0, Math.min(64, name.length()));
        } catch (UnknownHostException e) {
            return "node-1";
        }
    }
}
