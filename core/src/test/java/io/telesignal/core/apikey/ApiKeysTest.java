package io.telesignal.core.apikey;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.InMemoryAuditLog;
import io.telesignal.core.testkit.MutableClock;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ApiKeysTest extends ApiKeyStoreContract {
    private final InMemoryApiKeyStore store = new InMemoryApiKeyStore();
    private final InMemoryAuditLog log = new InMemoryAuditLog();
    private final MutableClock clock = MutableClock.atEpochDay();
    private final AuditTrail audit = new AuditTrail(log, clock, 100);
    private final ApiKeys keys = new ApiKeys(store, audit, clock);

    @Override
    protected ApiKeyStore store() {
        return store;
    }

    @AfterEach
    void close() {
        audit.close();
    }

    @Test
    void createdKeyAuthenticatesAndOnlyItsHashIsStored() {
        ApiKeys.Created created = keys.create("platform backend", "cli");

        assertThat(created.secret()).matches("tsk_[A-Za-z0-9]{12}_[A-Za-z0-9_-]{43}");
        assertThat(store.find(created.key().id()).orElseThrow().secretHash()).hasSize(64)
                .doesNotContain(created.secret().substring(17));
        assertThat(keys.authenticate(created.secret(), "127.0.0.1")).contains(created.key());
    }

    @Test
    void wrongRevokedAndMalformedKeysAreRefusedAndAudited() {
        ApiKeys.Created created = keys.create("backend", "cli");
        String tampered = created.secret().substring(0, created.secret().length() - 1)
                + (created.secret().endsWith("A") ? "B" : "A");

        assertThat(keys.authenticate(tampered, "10.0.0.1")).isEmpty();
        assertThat(keys.authenticate("Bearer nonsense", "10.0.0.1")).isEmpty();
        assertThat(keys.authenticate(null, "10.0.0.1")).isEmpty();
        keys.revoke(created.key().id(), "cli");
        assertThat(keys.authenticate(created.secret(), "10.0.0.1")).isEmpty();

        assertThat(log.read(0, 10)).extracting(r -> r.event().type() + ":" + r.event().reason()).containsExactly(
                "apikey.created:null", "auth.apikey:bad_credentials", "auth.apikey:bad_credentials",
                "auth.apikey:bad_credentials", "apikey.revoked:null", "auth.apikey:apikey_revoked");
    }
}
