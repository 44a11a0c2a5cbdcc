package io.telesignal.sip.testing;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.auth.InMemoryFailureCounters;
import io.telesignal.core.auth.SignInThrottle;
import io.telesignal.core.device.DevicePasswords;
import io.telesignal.core.device.InMemoryDevicePasswordStore;
import io.telesignal.core.device.InMemoryNonceCounts;
import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.Argon2idHasher;
import io.telesignal.core.directory.InMemoryDirectory;
import io.telesignal.core.directory.PasswordHashes;
import io.telesignal.core.directory.PasswordPolicy;
import io.telesignal.core.testkit.MutableClock;
import io.telesignal.sip.auth.DigestServer;
import java.security.SecureRandom;
import java.time.Duration;
import java.util.List;

/**
 * What a SIP test authenticates against, in memory: a clock the test moves, the audit trail, the directory and its
 * accounts, device passwords for one realm, and digest servers over them. Close it after the test.
 */
public final class SipUsers implements AutoCloseable {
    public final MutableClock clock = MutableClock.atEpochDay();
    public final AuditTrail audit = new AuditTrail(new InMemoryAuditLog(), clock, 100);
    public final InMemoryDirectory directory = new InMemoryDirectory();
    public final Accounts accounts = new Accounts(directory, new PasswordHashes(Argon2idHasher.owaspDefaults(
            new SecureRandom()), List.of()), PasswordPolicy.DEFAULT, audit, clock);
    public final DevicePasswords devices;
    private final String realm;

    public SipUsers(String realm) {
        this.realm = realm;
        this.devices = new DevicePasswords(new InMemoryDevicePasswordStore(id -> directory.findById(id).isPresent()),
                new DevicePasswords.Settings(realm, 4096, 5, 16), audit, clock, new SecureRandom());
    }

    /** A digest server for the realm offering {@code algorithms}, with the default throttle and no caches. */
    public DigestServer digest(List<String> algorithms) {
        return new DigestServer(new DigestServer.Settings(realm, Duration.ofMinutes(5), new byte[32], algorithms),
                accounts, devices, new InMemoryNonceCounts(1000, System::nanoTime), new SignInThrottle(
                        new InMemoryFailureCounters(100), SignInThrottle.Settings.defaults(), clock), audit, clock);
    }

    @Override
    public void close() {
        audit.close();
    }
}
