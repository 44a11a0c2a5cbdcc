package io.telesignal.core.blocking;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link BlockStore} does; {@link #user(String)} must name a user that exists in the store's directory. */
public abstract class BlockStoreContract {
    protected abstract BlockStore store();

    protected abstract UserId user(String login);

    @Test
    void addressesAreBlockedInOrderOnceAndUnblockedOneByOneOrAll() {
        BlockStore store = store();
        UserId alice = user("alice");
        assertThat(store.blocked(alice)).isEmpty();
        assertThat(store.block(alice, List.of("mallory@localhost", "spam.example"), 3)).isTrue();
        assertThat(store.block(alice, List.of("mallory@localhost", "eve@localhost/phone"), 3)).isTrue();
        assertThat(store.blocked(alice)).containsExactly("mallory@localhost", "spam.example", "eve@localhost/phone");
        // past the limit: refused whole, nothing changed
        assertThat(store.block(alice, List.of("x@localhost"), 3)).isFalse();
        assertThat(store.blocked(alice)).hasSize(3);
        assertThat(store.blocked(user("bob"))).isEmpty(); // per owner

        assertThat(store.unblock(alice, List.of("spam.example", "never@localhost"))).containsExactly("spam.example");
        assertThat(store.blocked(alice)).containsExactly("mallory@localhost", "eve@localhost/phone");
        assertThat(store.unblock(alice, List.of())).containsExactlyInAnyOrder("mallory@localhost", "eve@localhost/phone");
        assertThat(store.blocked(alice)).isEmpty();
    }

    @Test
    void blockersAreTheOwnersWhoseListsHoldOneOfTheAddresses() {
        BlockStore store = store();
        UserId alice = user("alice");
        UserId bob = user("bob");
        UserId carol = user("carol");
        store.block(alice, List.of("mallory@localhost"), 10);
        store.block(bob, List.of("localhost"), 10);
        store.block(carol, List.of("eve@localhost"), 10);
        assertThat(store.blockers(List.of(alice, bob, carol), List.of("mallory@localhost/phone", "mallory@localhost",
                "localhost", "localhost/phone"))).containsExactlyInAnyOrder(alice, bob);
        assertThat(store.blockers(List.of(carol), List.of("mallory@localhost"))).isEmpty();
        assertThat(store.blockers(List.of(), List.of("mallory@localhost"))).isEmpty();
    }
}
