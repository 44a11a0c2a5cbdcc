package io.telesignal.core.directory;

import io.telesignal.core.audit.AuditEvent;
import io.telesignal.core.audit.AuditRecord;
import io.telesignal.core.audit.AuditTrail;
import io.telesignal.core.audit.Outcome;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.time.Clock;
import java.util.List;
import java.util.Optional;
import java.util.Set;

/**
 * Account operations: add users, set passwords, roles and the enabled flag, and check a password. Every
 * change and every sign-in attempt is audited with ids only. Blocking (hashing, directory); run on the
 * worker pool. A change is recorded before it is made; should the store then refuse it, a failure record follows.
 *
 * <p>Hazard: a sign-in for an unknown login still verifies a password against a fixed hash, so response
 * time does not reveal which logins exist.
 */
public final class Accounts {
    private final Directory directory;
    private final PasswordHashes hashes;
    private final PasswordPolicy policy;
    private final AuditTrail audit;
    private final Clock clock;
    /**
     * The fixed hash an unknown login is checked against: an Argon2id hash takes about 0.1 s, so it is made on a
     * daemon thread of its own as the server starts, not on the start's path (nor a CLI command's).
     */
    private final java.util.concurrent.CompletableFuture<String> unknownUserHash;

    private final java.util.List<java.util.function.Consumer<User>> changeListeners =
            new java.util.concurrent.CopyOnWriteArrayList<>();

    /**
     * Called after this node changed a user (enabled, disabled, roles): copies of users kept elsewhere on the node
     * (the SIP and XMPP doors' credential caches) drop theirs at once.
     */
    public void onChange(java.util.function.Consumer<User> listener) {
        changeListeners.add(listener);
    }

    private void changed(User user) {
        changeListeners.forEach(listener -> listener.accept(user));
    }

    public Accounts(Directory directory, PasswordHashes hashes, PasswordPolicy policy, AuditTrail audit, Clock clock) {
        this.directory = directory;
        this.hashes = hashes;
        this.policy = policy;
        this.audit = audit;
        this.clock = clock;
        this.unknownUserHash = new java.util.concurrent.CompletableFuture<>();
        Thread making = new Thread(() -> {
            try {
                unknownUserHash.complete(hashes.hash("not-a-real-password".toCharArray()));
            } catch (RuntimeException | Error e) {
                unknownUserHash.completeExceptionally(e);
            }
        }, "unknown-login-hash");
        making.setDaemon(true);
        making.start();
    }

    public User add(Login login, String displayName, Set<Role> roles, char[] password, String actor) {
        Credentials credentials;
        try {
            policy.check(password);
            credentials = new Credentials(hashes.hash(password), clock.instant());
        } catch (InvalidPasswordException e) {
            audit.recordNow(AuditEvent.of("user.created", actor, Outcome.FAILED).reason(e.code()));
            throw e;
        }
        return create(login, displayName, roles, Optional.of(credentials), actor);
    }

    /**
     * A token-only account: no password, so no hash to derive (cheap enough to provision thousands at once); it
     * signs in with tokens the server issues for it, and a password sign-in for it always fails.
     */
    public User addWithoutPassword(Login login, String displayName, Set<Role> roles, String actor) {
        return create(login, displayName, roles, Optional.empty(), actor);
    }

    /**
     * An account for someone who came through an invite: login {@code guest-<random>}, role guest, token-only
     * (guests sign in with the token the invite gave them).
     */
    public User addGuest(String displayName, String actor) {
        java.security.SecureRandom random = new java.security.SecureRandom();
        StringBuilder suffix = new StringBuilder();
        for (int i = 0; i < 12; i++) {
            suffix.append("abcdefghijkmnpqrstuvwxyz23456789".charAt(random.nextInt(32)));
        }
        return addWithoutPassword(new Login("guest-" + suffix), displayName, Set.of(Role.GUEST), actor);
    }

    private User create(Login login, String displayName, Set<Role> roles, Optional<Credentials> credentials,
            String actor) {
        User user;
        try {
            if (directory.findByLogin(login).isPresent()) {
                throw new LoginTakenException(login.value());
            }
            user = new User(UserId.random(), login, displayName, roles, true, clock.instant());
        } catch (LoginTakenException e) {
            audit.recordNow(AuditEvent.of("user.created", actor, Outcome.FAILED).reason(e.code()));
            throw e;
        }
        recordThenApply(AuditEvent.of("user.created", actor, Outcome.OK).subject(user.id().value()),
                () -> directory.create(user, credentials));
        return user;
    }

    public void setPassword(Login login, char[] password, String actor) {
        User user = require(login);
        Credentials credentials;
        try {
            policy.check(password);
            credentials = new Credentials(hashes.hash(password), clock.instant());
        } catch (InvalidPasswordException e) {
            audit.recordNow(AuditEvent.of("user.password_changed", actor, Outcome.FAILED)
                    .subject(user.id().value()).reason(e.code()));
            throw e;
        }
        recordThenApply(AuditEvent.of("user.password_changed", actor, Outcome.OK).subject(user.id().value()),
                () -> directory.storeCredentials(user.id(), credentials));
    }

    public User setEnabled(Login login, boolean enabled, String actor) {
        User updated = require(login).withEnabled(enabled);
        recordThenApply(AuditEvent.of(enabled ? "user.enabled" : "user.disabled", actor, Outcome.OK)
                .subject(updated.id().value()), () -> directory.update(updated));
        changed(updated);
        return updated;
    }

    public User setRoles(Login login, Set<Role> roles, String actor) {
        User updated = require(login).withRoles(roles);
        recordThenApply(AuditEvent.of("user.roles_changed", actor, Outcome.OK).subject(updated.id().value()),
                () -> directory.update(updated));
        changed(updated);
        return updated;
    }

    /**
     * Nothing is changed unrecorded: the record is written first, and a change the store then refuses is
     * followed by a failure record of the same type and subject, with the refusal's code.
     */
    private void recordThenApply(AuditEvent.Builder record, Runnable change) {
        AuditRecord written = audit.recordNow(record);
        try {
            change.run();
        } catch (RuntimeException e) {
            String code = e instanceof io.telesignal.core.DomainException domain ? domain.code() : "internal_error";
            audit.recordNow(AuditEvent.of(written.event().type(), written.event().actor(), Outcome.FAILED)
                    .subject(written.event().subject()).reason(code));
            throw e;
        }
    }

    /** The user when the password is right and the account enabled; empty otherwise. Audited either way. */
    public Optional<User> authenticate(Login login, char[] password, String remoteAddress) {
        Optional<User> user = directory.findByLogin(login);
        Optional<String> stored = user.flatMap(u -> directory.credentials(u.id())).map(Credentials::passwordHash);
        // an unknown login or a token-only account is checked against a fixed hash (same time) and never matches,
        // even when the password given is the fixed hash's own
        boolean verified = hashes.verify(password, stored.orElseGet(unknownUserHash::join));
        boolean matches = verified && stored.isPresent();
        String reason = user.isEmpty() || !matches ? "bad_credentials"
                : !user.get().enabled() ? "account_disabled" : null;
        String actor = user.map(u -> u.id().value()).orElse("unknown");
        audit.recordNow(AuditEvent.of("auth.password", actor, reason == null ? Outcome.OK : Outcome.FAILED)
                .remoteAddress(remoteAddress).reason(reason));
        return reason == null ? user : Optional.empty();
    }

    public Optional<User> find(Login login) {
        return directory.findByLogin(login);
    }

    public Optional<User> find(UserId id) {
        return directory.findById(id);
    }

    public User require(Login login) {
        return directory.findByLogin(login).orElseThrow(() -> new UserNotFoundException(login.value()));
    }

    public List<User> list(int offset, int limit) {
        return directory.list(offset, limit);
    }
}
