package io.telesignal.server.wiring;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.auth.TokenService;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.directory.PasswordHasher;
import io.telesignal.core.directory.PasswordHashes;
import io.telesignal.core.directory.Pbkdf2Hasher;
import io.telesignal.server.config.ServerConfig;
import io.telesignal.store.JdbcStore;
import java.security.SecureRandom;
import java.time.Clock;
import java.util.List;

/**
 * What every command needs, the server included: the store (migrated when configured), the audit trail,
 * accounts and tokens. Closed in reverse: the audit trail drains before the store closes.
 */
public final class StoreServices implements AutoCloseable {
    private final JdbcStore store;
    private final AuditTrail audit;
    private final Accounts accounts;
    private final TokenService tokens;
    private final io.telesignal.core.apikey.ApiKeys apiKeys;
    private final DevicePasswords devicePasswords;

    private StoreServices(JdbcStore store, AuditTrail audit, Accounts accounts, TokenService tokens,
            io.telesignal.core.apikey.ApiKeys apiKeys, DevicePasswords devicePasswords) {
        this.store = store;
        this.audit = audit;
        this.accounts = accounts;
        this.tokens = tokens;
        this.apiKeys = apiKeys;
        this.devicePasswords = devicePasswords;
    }

    private byte[] kek;

    /**
     * A secret for {@code purpose}, the same on every node: derived from the data encryption key (which every node of a
     * cluster shares already), never the key itself. The SIP digest nonces are sealed with one.
     */
    public byte[] derivedSecret(String purpose) {
        try {
            javax.crypto.Mac mac = javax.crypto.Mac.getInstance("HmacSHA256");
            mac.init(new javax.crypto.spec.SecretKeySpec(kek, "HmacSHA256"));
            return mac.doFinal(("telesignal:" + purpose).getBytes(java.nio.charset.StandardCharsets.UTF_8));
        } catch (java.security.GeneralSecurityException e) {
            throw new IllegalStateException("HmacSHA256 is a required JDK algorithm", e);
        }
    }

    public DevicePasswords devicePasswords() {
        return devicePasswords;
    }

    public io.telesignal.core.apikey.ApiKeys apiKeys() {
        return apiKeys;
    }

    /** Opens the store; migrates it when {@code migrate} is true. */
    public static StoreServices open(ServerConfig config, Clock clock, boolean migrate) {
        DataDirectory.prepare(config.dataDir());
        SecureRandom random = new SecureRandom();
        TokenService tokens;
        try {
            tokens = new TokenService(TokenKeys.load(config.tokens(), random, config.cluster().enabled()),
                    config.tokens().settings(), clock);
        } catch (IllegalArgumentException e) {
            throw new io.telesignal.server.config.ConfigException("tokens.privateKey", e.getMessage());
        }
        JdbcStore store = JdbcStore.open(jdbc(config));
        try {
            if (migrate) {
                store.migrate();
            }
            // chat text and display names are sealed under data keys this key wraps; values from before are sealed now
            byte[] kek = DataKek.load(config.dataEncryption(), random, config.cluster().enabled());
            store.dataKeys().unlock(kek);
            AuditTrail audit = new AuditTrail(store.auditLog(), clock, config.auditQueue());
            PasswordHasher argon = Argon2idHasher.owaspDefaults(random);
            PasswordHasher pbkdf2 = new Pbkdf2Hasher(Pbkdf2Hasher.DEFAULT_ITERATIONS, random);
            PasswordHashes hashes = config.directory().passwordHash().equals("pbkdf2")
                    ? new PasswordHashes(pbkdf2, List.of(argon)) : new PasswordHashes(argon, List.of(pbkdf2));
            Accounts accounts = new Accounts(store.directory(), hashes, config.directory().passwordPolicy(), audit, clock);
            ServerConfig.Directory directory = config.directory();
            DevicePasswords devicePasswords = new DevicePasswords(store.devicePasswords(), new DevicePasswords.Settings(
                    directory.sipRealm(), directory.scramIterations(), directory.devicePasswordsPerUser(),
                    directory.minDevicePasswordLength()), audit, clock, random, directory.credentialCacheTtl());
            StoreServices services = new StoreServices(store, audit, accounts, tokens,
                    new io.telesignal.core.apikey.ApiKeys(store.apiKeys(), audit, clock), devicePasswords);
            services.kek = kek;
            return services;
        } catch (RuntimeException e) {
            store.close();
            throw e;
        }
    }

    /** How to reach the store: the configured settings, with the H2 file's key when it is encrypted. */
    public static io.telesignal.store.JdbcSettings jdbc(ServerConfig config) {
        java.nio.file.Path keyFile = config.dataDir().resolve("secrets").resolve("h2-file.key");
        if (!config.store().isH2()) {
            return config.store();
        }
        if (config.h2Encryption()) {
            return io.telesignal.store.H2Encryption.encrypted(config.store(), keyFile);
        }
        if (java.nio.file.Files.exists(keyFile)) {
            throw new io.telesignal.server.config.ConfigException("store.h2Encryption", "the H2 file is encrypted ("
                    + keyFile + " exists): set store.h2Encryption: true");
        }
        return config.store();
    }

    public JdbcStore store() {
        return store;
    }

    public AuditTrail audit() {
        return audit;
    }

    public Accounts accounts() {
        return accounts;
    }

    public TokenService tokens() {
        return tokens;
    }

    @Override
    public void close() {
        close(java.time.Duration.ofSeconds(30));
    }

    /** Drains the audit trail for at most {@code auditTimeout}, then closes the store. */
    public void close(java.time.Duration auditTimeout) {
        audit.close(auditTimeout);
        store.close();
    }
}
