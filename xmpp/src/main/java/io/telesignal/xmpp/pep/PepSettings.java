package io.telesignal.xmpp.pep;

/**
 * Personal eventing's settings ({@code xmpp.pep.*}).
 *
 * @param maxNodes nodes one user may have
 * @param maxItems the most items a node may keep (its {@code pubsub#max_items} is at most this)
 * @param maxItemBytes the largest payload one item may carry, serialised, in bytes
 */
public record PepSettings(int maxNodes, int maxItems, int maxItemBytes) {
    public PepSettings {
        if (maxNodes < 1 || maxItems < 1 || maxItemBytes < 256) {
            throw new IllegalArgumentException("xmpp.pep settings out of range");
        }
    }
}
