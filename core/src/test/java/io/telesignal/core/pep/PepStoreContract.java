package io.telesignal.core.pep;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** What every {@link PepStore} does; {@link #user(String)} must name a user that exists in the store's directory. */
public abstract class PepStoreContract {
    protected abstract PepStore store();

    protected abstract UserId user(String login);

    private static final Instant T0 = Instant.parse("2026-12-06T10:00:00Z");
    private static final String MOOD = "http://jabber.org/protocol/mood";
    private static final String TUNE = "http://jabber.org/protocol/tune";

    private static PepNode node(UserId owner, String name, int maxItems) {
        return new PepNode(owner, name, PepNode.Access.PRESENCE, maxItems, true, T0);
    }

    private static PepItem item(UserId owner, String node, String id, String payload) {
        return new PepItem(owner, node, id, payload, T0);
    }

    @Test
    void aPublicationCreatesItsNodeAndANodeKeepsItsNewestItemsNewestFirst() {
        PepStore store = store();
        UserId alice = user("alice");
        var published = store.publish(item(alice, MOOD, "a", "<mood>1</mood>"), node(alice, MOOD, 2), n -> true, 10);
        assertThat(published.status()).isEqualTo(PepStore.Status.PUBLISHED);
        assertThat(published.node()).contains(node(alice, MOOD, 2));
        assertThat(store.node(alice, MOOD)).contains(node(alice, MOOD, 2));
        store.publish(item(alice, MOOD, "b", "<mood>2</mood>"), node(alice, MOOD, 9), n -> true, 10);
        store.publish(item(alice, MOOD, "c", "<mood>Émile 3</mood>"), node(alice, MOOD, 9), n -> true, 10);
        // created once: the second createAs is not applied
        assertThat(store.node(alice, MOOD).orElseThrow().maxItems()).isEqualTo(2);
        assertThat(store.items(alice, MOOD, 10)).extracting(PepItem::id).containsExactly("c", "b");
        assertThat(store.items(alice, MOOD, 1)).extracting(PepItem::payload).containsExactly("<mood>Émile 3</mood>");
        // an id published again replaces its item and becomes the newest
        store.publish(item(alice, MOOD, "b", "<mood>2 again</mood>"), node(alice, MOOD, 2), n -> true, 10);
        assertThat(store.items(alice, MOOD, 10)).extracting(PepItem::id).containsExactly("b", "c");
        assertThat(store.items(alice, MOOD, List.of("c", "zz"))).extracting(PepItem::payload)
                .containsExactly("<mood>Émile 3</mood>");
        assertThat(store.items(alice, "nowhere", 10)).isEmpty();
        assertThat(store.items(user("bob"), MOOD, 10)).isEmpty();
    }

    @Test
    void aPreconditionThatFailsChangesNothing() {
        PepStore store = store();
        UserId alice = user("alice");
        store.publish(item(alice, MOOD, "a", "<mood>1</mood>"), node(alice, MOOD, 1), n -> true, 10);
        var refused = store.publish(item(alice, MOOD, "b", "<mood>2</mood>"), node(alice, MOOD, 1),
                n -> n.access() == PepNode.Access.OPEN, 10);
        assertThat(refused.status()).isEqualTo(PepStore.Status.PRECONDITION_NOT_MET);
        assertThat(refused.node()).contains(node(alice, MOOD, 1));
        assertThat(store.items(alice, MOOD, 10)).extracting(PepItem::id).containsExactly("a");
    }

    @Test
    void nodesAreCreatedConfiguredPurgedAndDeletedWithinTheOwnersLimit() {
        PepStore store = store();
        UserId alice = user("alice");
        assertThat(store.create(node(alice, TUNE, 3), 2)).isEqualTo(PepStore.Created.CREATED);
        assertThat(store.create(node(alice, TUNE, 3), 2)).isEqualTo(PepStore.Created.EXISTS);
        assertThat(store.create(node(alice, MOOD, 3), 2)).isEqualTo(PepStore.Created.CREATED);
        assertThat(store.create(node(alice, "third", 3), 2)).isEqualTo(PepStore.Created.TOO_MANY_NODES);
        assertThat(store.publish(item(alice, "third", "x", "<x/>"), node(alice, "third", 1), n -> true, 2).status())
                .isEqualTo(PepStore.Status.TOO_MANY_NODES);
        assertThat(store.node(alice, "third")).isEmpty();
        assertThat(store.create(node(user("bob"), TUNE, 1), 2)).isEqualTo(PepStore.Created.CREATED); // per owner
        assertThat(store.nodes(alice)).extracting(PepNode::name).containsExactly(MOOD, TUNE);

        for (String id : List.of("1", "2", "3")) {
            store.publish(item(alice, TUNE, id, "<tune>" + id + "</tune>"), node(alice, TUNE, 3), n -> true, 2);
        }
        PepNode open = node(alice, TUNE, 3).with(PepNode.Access.OPEN, 1, false);
        assertThat(store.configure(open)).isTrue();
        assertThat(store.node(alice, TUNE)).contains(open);
        assertThat(store.items(alice, TUNE, 10)).extracting(PepItem::id).containsExactly("3"); // trimmed
        assertThat(store.configure(node(alice, "nowhere", 1))).isFalse();

        assertThat(store.retract(alice, TUNE, "3")).isTrue();
        assertThat(store.retract(alice, TUNE, "3")).isFalse();
        store.publish(item(alice, TUNE, "4", "<tune>4</tune>"), node(alice, TUNE, 3), n -> true, 2);
        assertThat(store.purge(alice, TUNE)).isTrue();
        assertThat(store.items(alice, TUNE, 10)).isEmpty();
        assertThat(store.node(alice, TUNE)).isPresent();
        assertThat(store.purge(alice, "nowhere")).isFalse();

        store.publish(item(alice, MOOD, "m", "<mood/>"), node(alice, MOOD, 3), n -> true, 2);
        assertThat(store.delete(alice, MOOD)).isTrue();
        assertThat(store.delete(alice, MOOD)).isFalse();
        assertThat(store.node(alice, MOOD)).isEmpty();
        assertThat(store.items(alice, MOOD, 10)).isEmpty();
        // created again, it starts empty
        store.create(node(alice, MOOD, 3), 2);
        assertThat(store.items(alice, MOOD, 10)).isEmpty();
    }

    @Test
    void lastItemsAreTheNewestOfEachNodeThatSendsItsLast() {
        PepStore store = store();
        UserId alice = user("alice");
        UserId bob = user("bob");
        UserId carol = user("carol");
        store.publish(item(alice, MOOD, "a1", "<a1/>"), node(alice, MOOD, 5), n -> true, 10);
        store.publish(item(alice, MOOD, "a2", "<a2/>"), node(alice, MOOD, 5), n -> true, 10);
        store.publish(item(alice, TUNE, "t1", "<t1/>"), node(alice, TUNE, 5), n -> true, 10);
        store.publish(item(bob, MOOD, "b1", "<b1/>"), node(bob, MOOD, 5), n -> true, 10);
        store.publish(item(carol, MOOD, "c1", "<c1/>"), node(carol, MOOD, 5).with(PepNode.Access.PRESENCE, 5, false),
                n -> true, 10);
        store.create(node(bob, TUNE, 1), 10); // empty: nothing to send

        List<PepStore.Last> last = store.lastItems(List.of(alice, bob, carol), Set.of(MOOD, TUNE));
        assertThat(last).extracting(l -> l.item().id()).containsExactlyInAnyOrder("a2", "t1", "b1");
        assertThat(last).allSatisfy(l -> {
            assertThat(l.node().owner()).isEqualTo(l.item().owner());
            assertThat(l.node().name()).isEqualTo(l.item().node());
        });
        assertThat(store.lastItems(List.of(bob), Set.of(TUNE))).isEmpty();
        assertThat(store.lastItems(List.of(), Set.of(MOOD))).isEmpty();
    }
}
