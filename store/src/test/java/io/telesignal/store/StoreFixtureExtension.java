package io.telesignal.store;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.function.Supplier;
import java.util.stream.Stream;
import org.junit.jupiter.api.extension.AfterEachCallback;
import org.junit.jupiter.api.extension.BeforeEachCallback;
import org.junit.jupiter.api.extension.ExtensionContext;

/**
 * A fresh, migrated store for each test, on H2 (in a temporary folder) or PostgreSQL (in a schema of its own),
 * closed and removed afterwards. Register with {@code @RegisterExtension}.
 */
public final class StoreFixtureExtension implements BeforeEachCallback, AfterEachCallback {
    private final Supplier<StoreFixture.Kind> kind;
    private Path dir;
    private StoreFixture fixture;

    public StoreFixtureExtension(Supplier<StoreFixture.Kind> kind) {
        this.kind = kind;
    }

    @Override
    public void beforeEach(ExtensionContext context) throws IOException {
        users.clear();
        dir = Files.createTempDirectory("telesignal-store");
        fixture = new StoreFixture(kind.get(), dir);
    }

    @Override
    public void afterEach(ExtensionContext context) {
        fixture.close();
        try (Stream<Path> files = Files.walk(dir)) {
            files.sorted(Comparator.reverseOrder()).forEach(path -> path.toFile().delete());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public JdbcStore store() {
        return fixture.store();
    }

    private final java.util.Map<String, io.telesignal.core.identity.UserId> users = new java.util.HashMap<>();

    /** A provider named {@code login} in this test's directory, made the first time it is asked for. */
    public io.telesignal.core.identity.UserId user(String login) {
        return users.computeIfAbsent(login, l -> {
            io.telesignal.core.identity.User user = new io.telesignal.core.identity.User(
                    io.telesignal.core.identity.UserId.random(), new io.telesignal.core.identity.Login(l), l,
                    java.util.Set.of(io.telesignal.core.identity.Role.PROVIDER), true, java.time.Instant.EPOCH);
            store().directory().create(user, java.util.Optional.empty());
            return user.id();
        });
    }
}
