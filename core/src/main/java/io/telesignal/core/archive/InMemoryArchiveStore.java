package io.telesignal.core.archive;

import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;

/** Archives in memory: for tests and a node without a database. */
public final class InMemoryArchiveStore implements ArchiveStore {
    private final List<ArchivedMessage> messages = new ArrayList<>();

    @Override
    public synchronized void append(ArchivedMessage message) {
        messages.add(message);
    }

    @Override
    public synchronized ArchiveQuery.Page query(UserId owner, ArchiveQuery query) {
        List<ArchivedMessage> matching = new ArrayList<>();
        for (ArchivedMessage m : messages) {
            if (m.owner().equals(owner) && query.with().map(m.with()::equals).orElse(true)
                    && query.start().map(s -> !m.at().isBefore(s)).orElse(true)
                    && query.end().map(e -> !m.at().isAfter(e)).orElse(true)) {
                matching.add(m);
            }
        }
        int from = 0;
        int to = matching.size();
        if (query.after().isPresent()) {
            from = indexOf(matching, owner, query.after().get()) + 1;
        }
        if (query.before().isPresent() && !query.before().get().isEmpty()) {
            to = indexOf(matching, owner, query.before().get());
        }
        boolean backwards = query.before().isPresent();
        List<ArchivedMessage> page;
        boolean complete;
        if (backwards) {
            int first = Math.max(from, to - query.max());
            page = matching.subList(first, to);
            complete = first == from;
        } else {
            int last = Math.min(to, from + query.max());
            page = matching.subList(from, last);
            complete = last == to;
        }
        return new ArchiveQuery.Page(List.copyOf(page), complete, matching.size());
    }

    private int indexOf(List<ArchivedMessage> matching, UserId owner, String id) {
        for (int i = 0; i < matching.size(); i++) {
            if (matching.get(i).id().equals(id)) {
                return i;
            }
        }
        // an id of the owner's outside this filter, or of nobody's: either way not a place in this result set
        throw new ArchiveStore.ArchiveItemNotFoundException();
    }

    @Override
    public synchronized int purgeBefore(Instant cutoff) {
        int before = messages.size();
        messages.removeIf(m -> m.at().isBefore(cutoff));
        return before - messages.size();
    }

    private final java.util.Map<UserId, ArchivePrefs> prefs = new java.util.HashMap<>();

    @Override
    public synchronized ArchivePrefs prefs(UserId owner) {
        return prefs.getOrDefault(owner, ArchivePrefs.defaults(owner));
    }

    @Override
    public synchronized void setPrefs(ArchivePrefs changed) {
        prefs.put(changed.owner(), changed);
    }
}
