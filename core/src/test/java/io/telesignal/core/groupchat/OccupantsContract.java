package io.telesignal.core.groupchat;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.core.identity.UserId;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** What every {@link Occupants} does. */
public abstract class OccupantsContract {
    protected abstract Occupants occupants();

    private static Occupant occupant(String nick, String user, String resource) {
        return new Occupant(nick, new UserId(user), user, resource, RoomRole.PARTICIPANT, Affiliation.NONE,
                "<presence><show>away</show></presence>");
    }

    private static <T> T join(java.util.concurrent.CompletionStage<T> stage) {
        return stage.toCompletableFuture().join();
    }

    @Test
    void aNicknameIsHeldByOneConnectionAndAConnectionHoldsOneNickname() {
        Occupants occupants = occupants();
        Occupant alice = occupant("Alice", "u-alice", "phone");
        assertThat(join(occupants.enter("ward", alice, 10)).outcome()).isEqualTo(Occupants.Outcome.JOINED);
        Occupants.Entered taken = join(occupants.enter("ward", occupant("Alice", "u-bob", "desk"), 10));
        assertThat(taken.outcome()).isEqualTo(Occupants.Outcome.NICK_TAKEN);
        assertThat(taken.previous()).contains(alice);
        // the same user from another connection is another occupant
        assertThat(join(occupants.enter("ward", occupant("Alice", "u-alice", "desk"), 10)).outcome())
                .isEqualTo(Occupants.Outcome.NICK_TAKEN);

        Occupant away = alice.withPresence("<presence/>").with(RoomRole.MODERATOR, Affiliation.OWNER);
        Occupants.Entered updated = join(occupants.enter("ward", away, 10));
        assertThat(updated.outcome()).isEqualTo(Occupants.Outcome.UPDATED);
        assertThat(updated.previous()).contains(alice);

        Occupant renamed = occupant("Dr A", "u-alice", "phone");
        Occupants.Entered moved = join(occupants.enter("ward", renamed, 10));
        assertThat(moved.outcome()).isEqualTo(Occupants.Outcome.RENAMED);
        assertThat(moved.previous()).contains(away);
        assertThat(join(occupants.list("ward"))).containsExactly(renamed);
        // the old nickname is free again
        assertThat(join(occupants.enter("ward", occupant("Alice", "u-bob", "desk"), 10)).outcome())
                .isEqualTo(Occupants.Outcome.JOINED);
        assertThat(join(occupants.list("ward"))).extracting(Occupant::nick).containsExactly("Dr A", "Alice");
        assertThat(join(occupants.list("other"))).isEmpty();
    }

    @Test
    void aFullRoomTakesNobodyNewButItsOccupantsMayChange() {
        Occupants occupants = occupants();
        join(occupants.enter("small", occupant("a", "u-a", "r"), 2));
        join(occupants.enter("small", occupant("b", "u-b", "r"), 2));
        assertThat(join(occupants.enter("small", occupant("c", "u-c", "r"), 2)).outcome()).isEqualTo(Occupants.Outcome.FULL);
        assertThat(join(occupants.enter("small", occupant("a2", "u-a", "r"), 2)).outcome())
                .isEqualTo(Occupants.Outcome.RENAMED);
        assertThat(join(occupants.list("small"))).hasSize(2);
    }

    @Test
    void updatesLeavingAndClearing() {
        Occupants occupants = occupants();
        Occupant bob = occupant("Bob", "u-bob", "desk");
        join(occupants.enter("icu", bob, 10));
        Occupant visitor = bob.with(RoomRole.VISITOR, Affiliation.NONE);
        assertThat(join(occupants.update("icu", visitor))).isTrue();
        assertThat(join(occupants.list("icu"))).containsExactly(visitor);
        assertThat(join(occupants.update("icu", occupant("Bob", "u-eve", "x")))).isFalse();
        assertThat(join(occupants.update("icu", occupant("Nobody", "u-bob", "desk")))).isFalse();

        assertThat(join(occupants.leave("icu", new UserId("u-bob"), "phone"))).isEmpty();
        assertThat(join(occupants.leave("icu", new UserId("u-bob"), "desk"))).isEqualTo(Optional.of(visitor));
        assertThat(join(occupants.list("icu"))).isEmpty();
        assertThat(join(occupants.leave("icu", new UserId("u-bob"), "desk"))).isEmpty();

        join(occupants.enter("icu", occupant("x", "u-x", "r"), 10));
        join(occupants.enter("icu", occupant("y", "u-y", "r"), 10));
        assertThat(join(occupants.clear("icu"))).extracting(Occupant::nick).containsExactlyInAnyOrder("x", "y");
        assertThat(join(occupants.list("icu"))).isEmpty();
        assertThat(join(occupants.clear("icu"))).isEmpty();
    }
}
