package io.telesignal.core.roster;

import io.telesignal.core.identity.UserId;

class InMemoryRosterStoreTest extends RosterStoreContract {
    private final InMemoryRosterStore store = new InMemoryRosterStore();

    @Override
    protected RosterStore store() {
        return store;
    }

    @Override
    protected UserId owner(String login) {
        return new UserId("u-" + login);
    }
}
