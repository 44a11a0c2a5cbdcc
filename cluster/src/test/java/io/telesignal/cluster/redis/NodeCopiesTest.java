package io.telesignal.cluster.redis;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** The rules of a node's copies, without Redis: kept only while subscribed and unchanged since read, and bounded. */
class NodeCopiesTest {
    private final NodeCopies<String, String> copies = new NodeCopies<>(3);

    @Test
    void nothingIsKeptOrAnsweredUntilSubscribed() {
        copies.keep(copies.stamp(), "a", "1");
        assertThat(copies.get("a")).isNull();
        copies.subscribed();
        copies.keep(copies.stamp(), "a", "1");
        assertThat(copies.get("a")).isEqualTo("1");
        copies.unsubscribed();
        assertThat(copies.get("a")).isNull();
        assertThat(copies.size()).isZero();
    }

    @Test
    void aReadOvertakenByAnAnnouncementIsNotKept() {
        copies.subscribed();
        long stamp = copies.stamp();
        copies.changed("other", copy -> true); // any announcement while the read was on its way
        copies.keep(stamp, "a", "1");
        assertThat(copies.get("a")).isNull();

        copies.keep(copies.stamp(), "a", "1");
        copies.changed("a", copy -> copy.equals("0")); // announced, but not out of date
        assertThat(copies.get("a")).isEqualTo("1");
        copies.drop("a");
        assertThat(copies.get("a")).isNull();
    }

    @Test
    void pastItsCapacityItStartsAgain() {
        copies.subscribed();
        for (String key : new String[] {"a", "b", "c"}) {
            copies.keep(copies.stamp(), key, key);
        }
        copies.keep(copies.stamp(), "a", "again"); // a key it holds: no growth
        assertThat(copies.size()).isEqualTo(3);
        copies.keep(copies.stamp(), "d", "d");
        assertThat(copies.size()).isEqualTo(1);
        assertThat(copies.get("d")).isEqualTo("d");
    }
}
