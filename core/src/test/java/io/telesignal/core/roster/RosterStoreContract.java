package io.telesignal.core.roster;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.util.List;
import org.junit.jupiter.api.Test;

/** What every {@link RosterStore} does; {@link #owner(String)} must name a user that exists in the store's directory. */
public abstract class RosterStoreContract {
    protected abstract RosterStore store();

    protected abstract UserId owner(String login);

    @Test
    void itemsAreKeptWithTheirStatesNamesAndGroupsAndEachChangeRaisesTheVersion() {
        UserId alice = owner("alice");
        RosterStore store = store();
        assertThat(store.version(alice)).isZero();
        assertThat(store.items(alice)).isEmpty();
        RosterItem bob = RosterItem.added(alice, "bob@clinic.example", "Bob \u00c9mile <ward 3>", List.of("Team", "Nights"));
        assertThat(store.put(bob, 10)).hasValue(1);
        RosterItem subscribed = bob.with(RosterItem.Subscription.BOTH, false, false);
        assertThat(store.put(subscribed, 10)).hasValue(2);
        assertThat(store.put(RosterItem.added(alice, "carol@clinic.example", "", List.of()).with(
                RosterItem.Subscription.NONE, false, true), 10)).hasValue(3);
        assertThat(store.find(alice, "bob@clinic.example")).contains(subscribed);
        assertThat(store.items(alice)).extracting(RosterItem::contact)
                .containsExactly("bob@clinic.example", "carol@clinic.example");
        assertThat(store.items(alice).get(1).hidden()).isTrue();
        assertThat(store.items(alice).get(1).pendingIn()).isTrue();
        assertThat(store.remove(alice, "carol@clinic.example")).hasValue(4);
        assertThat(store.remove(alice, "carol@clinic.example")).isEmpty();
        assertThat(store.version(alice)).isEqualTo(4);
        assertThat(store.version(owner("bob"))).isZero();
    }

    @Test
    void theLimitHoldsForNewItemsOnly() {
        UserId alice = owner("alice");
        RosterStore store = store();
        assertThat(store.put(RosterItem.added(alice, "a@x", "", List.of()), 2)).isPresent();
        assertThat(store.put(RosterItem.added(alice, "b@x", "", List.of()), 2)).isPresent();
        assertThat(store.put(RosterItem.added(alice, "c@x", "", List.of()), 2)).isEmpty();
        assertThat(store.put(RosterItem.added(alice, "b@x", "renamed", List.of()), 2)).isPresent();
        assertThat(store.items(alice)).hasSize(2);
    }
}
