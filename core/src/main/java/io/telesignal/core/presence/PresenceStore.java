package io.telesignal.core.presence;

import io.telesignal.core.identity.EndpointId;
import io.telesignal.core.identity.UserId;
import java.util.List;
import java.util.concurrent.CompletionStage;

/**
 * SPI: per-endpoint presence, shared by all nodes. Each change is atomic per user and answers the user's
 * entries before and after it.
 */
public interface PresenceStore {
    /**
     * @param version increases by one with every change of this user's entries; listeners that may see events
     *                out of order (they are published after the store's atomic update) keep the highest
     */
    record Change(List<EndpointPresence> before, List<EndpointPresence> after, long version) {
        public Change {
            before = List.copyOf(before);
            after = List.copyOf(after);
        }
    }

    CompletionStage<Change> put(EndpointPresence entry);

    CompletionStage<Change> remove(UserId user, EndpointId endpoint);

    CompletionStage<List<EndpointPresence>> entriesOf(UserId user);
}
