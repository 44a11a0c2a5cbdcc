package io.telesignal.core.pep;

import io.telesignal.core.identity.UserId;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Comparator;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Predicate;

/** Personal eventing nodes in memory, for one node and for tests; one lock. */
public final class InMemoryPepStore implements PepStore {
    private record Key(UserId owner, String name) {}

    private static final class Held {
        PepNode node;
        /** By id, oldest first: a republished id moves to the end. */
        final LinkedHashMap<String, PepItem> items = new LinkedHashMap<>();

        Held(PepNode node) {
            this.node = node;
        }

        void trim() {
            var it = items.entrySet().iterator();
            for (int excess = items.size() - node.maxItems(); excess > 0 && it.hasNext(); excess--) {
                it.next();
                it.remove();
            }
        }

        List<PepItem> newestFirst() {
            List<PepItem> all = new ArrayList<>(items.values());
            java.util.Collections.reverse(all);
            return all;
        }
    }

    private final Map<Key, Held> nodes = new HashMap<>();

    @Override
    public synchronized Optional<PepNode> node(UserId owner, String name) {
        return Optional.ofNullable(nodes.get(new Key(owner, name))).map(h -> h.node);
    }

    @Override
    public synchronized List<PepNode> nodes(UserId owner) {
        TreeMap<String, PepNode> mine = new TreeMap<>();
        nodes.forEach((key, held) -> {
            if (key.owner().equals(owner)) {
                mine.put(key.name(), held.node);
            }
        });
        return List.copyOf(mine.values());
    }

    private int count(UserId owner) {
        return (int) nodes.keySet().stream().filter(k -> k.owner().equals(owner)).count();
    }

    @Override
    public synchronized Created create(PepNode node, int maxNodes) {
        Key key = new Key(node.owner(), node.name());
        if (nodes.containsKey(key)) {
            return Created.EXISTS;
        }
        if (count(node.owner()) >= maxNodes) {
            return Created.TOO_MANY_NODES;
        }
        nodes.put(key, new Held(node));
        return Created.CREATED;
    }

    @Override
    public synchronized boolean configure(PepNode node) {
        Held held = nodes.get(new Key(node.owner(), node.name()));
        if (held == null) {
            return false;
        }
        held.node = new PepNode(node.owner(), node.name(), node.access(), node.maxItems(), node.sendLast(),
                held.node.createdAt());
        held.trim();
        return true;
    }

    @Override
    public synchronized boolean delete(UserId owner, String name) {
        return nodes.remove(new Key(owner, name)) != null;
    }

    @Override
    public synchronized boolean purge(UserId owner, String name) {
        Held held = nodes.get(new Key(owner, name));
        if (held == null) {
            return false;
        }
        held.items.clear();
        return true;
    }

    @Override
    public synchronized Published publish(PepItem item, PepNode createAs, Predicate<PepNode> precondition, int maxNodes) {
        Key key = new Key(item.owner(), item.node());
        Held held = nodes.get(key);
        if (held == null) {
            if (count(item.owner()) >= maxNodes) {
                return new Published(Status.TOO_MANY_NODES, Optional.empty());
            }
            held = new Held(createAs);
            nodes.put(key, held);
        } else if (!precondition.test(held.node)) {
            return new Published(Status.PRECONDITION_NOT_MET, Optional.of(held.node));
        }
        held.items.remove(item.id());
        held.items.put(item.id(), item);
        held.trim();
        return new Published(Status.PUBLISHED, Optional.of(held.node));
    }

    @Override
    public synchronized boolean retract(UserId owner, String name, String itemId) {
        Held held = nodes.get(new Key(owner, name));
        return held != null && held.items.remove(itemId) != null;
    }

    @Override
    public synchronized List<PepItem> items(UserId owner, String name, int max) {
        Held held = nodes.get(new Key(owner, name));
        if (held == null) {
            return List.of();
        }
        List<PepItem> all = held.newestFirst();
        return List.copyOf(all.subList(0, Math.min(Math.max(0, max), all.size())));
    }

    @Override
    public synchronized List<PepItem> items(UserId owner, String name, Collection<String> ids) {
        Held held = nodes.get(new Key(owner, name));
        if (held == null) {
            return List.of();
        }
        return held.newestFirst().stream().filter(i -> ids.contains(i.id())).toList();
    }

    @Override
    public synchronized List<Last> lastItems(Collection<UserId> owners, Collection<String> names) {
        List<Last> last = new ArrayList<>();
        for (UserId owner : owners) {
            for (String name : names) {
                Held held = nodes.get(new Key(owner, name));
                if (held != null && held.node.sendLast() && !held.items.isEmpty()) {
                    last.add(new Last(held.node, held.newestFirst().get(0)));
                }
            }
        }
        last.sort(Comparator.comparing((Last l) -> l.node().owner().value()).thenComparing(l -> l.node().name()));
        return last;
    }
}
