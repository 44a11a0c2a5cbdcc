package io.telesignal.core.pep;

import io.telesignal.core.identity.UserId;
import java.util.Collection;
import java.util.List;
import java.util.Optional;
import java.util.function.Predicate;

/**
 * Storage SPI for personal eventing nodes and their items (XEP-0163): in memory here, JDBC in store (payloads sealed
 * at rest). A node keeps its {@code maxItems} newest items; publishing an id it holds replaces that item and makes it
 * the newest. Deleting a node deletes its items. Blocking.
 */
public interface PepStore {
    /** What {@link #create} did. */
    enum Created { CREATED, EXISTS, TOO_MANY_NODES }

    /** What {@link #publish} did. */
    enum Status { PUBLISHED, PRECONDITION_NOT_MET, TOO_MANY_NODES }

    /** The outcome of a publication and the node as it is now (as it was when the precondition failed). */
    record Published(Status status, Optional<PepNode> node) {}

    /** A node's newest item. */
    record Last(PepNode node, PepItem item) {}

    Optional<PepNode> node(UserId owner, String name);

    /** The owner's nodes, by name. */
    List<PepNode> nodes(UserId owner);

    /** Creates the node unless it exists or its owner already has {@code maxNodes}. */
    Created create(PepNode node, int maxNodes);

    /** Replaces a node's configuration and drops the items beyond its new {@code maxItems}; false when there is none. */
    boolean configure(PepNode node);

    /** Deletes the node and its items; false when there was none. */
    boolean delete(UserId owner, String name);

    /** Deletes every item of the node; false when there is no such node. */
    boolean purge(UserId owner, String name);

    /**
     * Publishes an item, atomically: to the node named by the item, which is created as {@code createAs} when missing
     * (unless its owner already has {@code maxNodes}); an existing node must pass {@code precondition}
     * (XEP-0060 §7.1.5 publish options), else nothing changes.
     */
    Published publish(PepItem item, PepNode createAs, Predicate<PepNode> precondition, int maxNodes);

    /** Deletes one item; false when the node does not hold it. */
    boolean retract(UserId owner, String name, String itemId);

    /** The node's newest {@code max} items, newest first. */
    List<PepItem> items(UserId owner, String name, int max);

    /** The node's items of these ids (those it holds), newest first. */
    List<PepItem> items(UserId owner, String name, Collection<String> ids);

    /**
     * The newest item of each node of these owners with one of these names, for the nodes that send their last item
     * ({@link PepNode#sendLast}).
     */
    List<Last> lastItems(Collection<UserId> owners, Collection<String> names);
}
