package io.telesignal.core.groupchat;

import io.telesignal.core.identity.UserId;
import org.junit.jupiter.api.Nested;

/** The in-memory rooms and occupants against their contracts. */
class InMemoryGroupChatTest {
    @Nested
    class Rooms extends RoomStoreContract {
        private final InMemoryRoomStore store = new InMemoryRoomStore();

        @Override
        protected RoomStore store() {
            return store;
        }

        @Override
        protected UserId user(String login) {
            return new UserId("u-" + login);
        }
    }

    @Nested
    class InRooms extends OccupantsContract {
        private final InMemoryOccupants occupants = new InMemoryOccupants();

        @Override
        protected Occupants occupants() {
            return occupants;
        }
    }
}
