package io.telesignal.core.groupchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** What every {@link RoomStore} does; {@link #user(String)} must name a user that exists in the store's directory. */
public abstract class RoomStoreContract {
    protected abstract RoomStore store();

    protected abstract UserId user(String login);

    private static final Instant T0 = Instant.parse("2026-12-01T10:00:00Z");

    @Test
    void aRoomIsCreatedOnceWithItsOwnerAndItsConfigurationAndTextAreKept() {
        RoomStore store = store();
        UserId alice = user("alice");
        GroupRoom room = GroupRoom.created("ward-3", true, 50, T0);
        assertThat(store.create(room, alice)).isTrue();
        assertThat(store.create(GroupRoom.created("ward-3", false, 5, T0), user("bob"))).isFalse();
        assertThat(store.find("ward-3")).contains(room);
        assertThat(store.affiliation("ward-3", alice)).isEqualTo(Affiliation.OWNER);
        assertThat(store.ownedBy(alice)).isEqualTo(1);
        assertThat(store.listed()).isEmpty(); // locked until configured

        GroupRoom configured = new GroupRoom("ward-3", "Ward 3 — nights", "Care team of bed 12 (Émile)", "", "", true,
                true, true, true, true, true, 20, false, T0).withSubject("Handover at 7", "alice");
        assertThat(store.update(configured)).isTrue();
        assertThat(store.find("ward-3")).contains(configured);
        assertThat(store.listed()).containsExactly(configured);
        assertThat(store.update(GroupRoom.created("nowhere", true, 5, T0))).isFalse();
        assertThat(store.find("nowhere")).isEmpty();
    }

    @Test
    void affiliationsAreSetAndRemovedAndTheLastOwnerStays() {
        RoomStore store = store();
        UserId alice = user("alice");
        UserId bob = user("bob");
        UserId carol = user("carol");
        store.create(GroupRoom.created("icu", true, 50, T0), alice);
        assertThat(store.setAffiliation("icu", bob, Affiliation.MEMBER)).isEqualTo(RoomStore.Changed.DONE);
        assertThat(store.setAffiliation("icu", carol, Affiliation.OUTCAST)).isEqualTo(RoomStore.Changed.DONE);
        assertThat(store.affiliations("icu")).isEqualTo(Map.of(alice, Affiliation.OWNER, bob, Affiliation.MEMBER,
                carol, Affiliation.OUTCAST));
        assertThat(store.setAffiliation("icu", alice, Affiliation.ADMIN)).isEqualTo(RoomStore.Changed.LAST_OWNER);
        assertThat(store.setAffiliation("icu", bob, Affiliation.OWNER)).isEqualTo(RoomStore.Changed.DONE);
        assertThat(store.setAffiliation("icu", alice, Affiliation.NONE)).isEqualTo(RoomStore.Changed.DONE);
        assertThat(store.affiliation("icu", alice)).isEqualTo(Affiliation.NONE);
        assertThat(store.affiliation("icu", bob)).isEqualTo(Affiliation.OWNER);
        assertThat(store.setAffiliation("nowhere", bob, Affiliation.MEMBER)).isEqualTo(RoomStore.Changed.NO_ROOM);
    }

    @Test
    void historyKeepsTheNewestInOrderAndGoesWithTheRoom() {
        RoomStore store = store();
        UserId alice = user("alice");
        store.create(GroupRoom.created("lab", true, 50, T0), alice);
        for (int i = 0; i < 5; i++) {
            store.appendHistory(new RoomMessage("lab", "m" + i, "<message>" + i + " é</message>", T0.plusSeconds(i)), 3);
        }
        assertThat(store.history("lab", 10, Instant.EPOCH)).extracting(RoomMessage::id).containsExactly("m2", "m3", "m4");
        assertThat(store.history("lab", 2, Instant.EPOCH)).extracting(RoomMessage::id).containsExactly("m3", "m4");
        assertThat(store.history("lab", 10, T0.plusSeconds(4))).extracting(RoomMessage::stanza)
                .containsExactly("<message>4 é</message>");
        assertThat(store.history("lab", 10, Instant.EPOCH).get(0).sentAt()).isEqualTo(T0.plusSeconds(2));
        assertThat(store.delete("lab")).isTrue();
        assertThat(store.delete("lab")).isFalse();
        assertThat(store.history("lab", 10, Instant.EPOCH)).isEmpty();
        assertThat(store.affiliations("lab")).isEmpty();
        store.create(GroupRoom.created("lab", true, 50, T0), user("bob"));
        assertThat(store.affiliation("lab", alice)).isEqualTo(Affiliation.NONE);
    }
}
