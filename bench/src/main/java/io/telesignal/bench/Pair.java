package io.telesignal.bench;

import io.netty.channel.EventLoop;

/**
 * A provider and a patient in one consultation, negotiating a call over and over: the provider offers, the
 * patient answers once the offer has reached it, then each side trickles candidates; then a renegotiation
 * starts the cycle again. Each direction numbers its signals 0, 1, 2...; the receiving side checks that each arrives
 * once (one that overtakes another is counted out of order, the other lost if it never comes), and measures how long
 * each took from its send. Confined to its event loop.
 */
final class Pair {
    static final int CANDIDATES_PER_CYCLE = 8;
    private static final int RING = 1 << 14;
    private static final int TO_PATIENT = 0;
    private static final int TO_PROVIDER = 1;

    private enum Step { OFFER, AWAIT_OFFER, ANSWER, AWAIT_ANSWER, CANDIDATES }

    final String consultation;
    final EventLoop loop;
    private final LoopStats stats;
    BenchPeer provider;
    BenchPeer patient;
    private Step step = Step.OFFER;
    private int candidates;
    private final long[] sent = new long[2];
    /** Per direction: the lowest number not yet delivered, and those delivered above it (overtaken ones missing). */
    private final long[] expected = new long[2];
    @SuppressWarnings("unchecked")
    private final java.util.TreeSet<Long>[] ahead = new java.util.TreeSet[] {new java.util.TreeSet<Long>(),
            new java.util.TreeSet<Long>()};
    private final long[][] sentAt = new long[2][RING];

    Pair(String consultation, EventLoop loop, LoopStats stats) {
        this.consultation = consultation;
        this.loop = loop;
        this.stats = stats;
    }

    LoopStats stats() {
        return stats;
    }

    /** Signals sent and not yet delivered, both directions. */
    long inFlight() {
        return sent[0] - expected[0] + sent[1] - expected[1];
    }

    /** Sends the next signal of the cycle, if the cycle is not waiting for a delivery; answers whether it did. */
    boolean sendNext() {
        switch (step) {
            case OFFER -> {
                send(TO_PATIENT, BenchPeer.Kind.OFFER, "{\"type\":\"offer\",\"sdp\":\"" + Signals.sdp("offer", sent[TO_PATIENT]) + "\"}");
                step = Step.AWAIT_OFFER;
                return true;
            }
            case ANSWER -> {
                send(TO_PROVIDER, BenchPeer.Kind.ANSWER, "{\"type\":\"answer\",\"sdp\":\"" + Signals.sdp("answer", sent[TO_PROVIDER]) + "\"}");
                step = Step.AWAIT_ANSWER;
                return true;
            }
            case CANDIDATES -> {
                int direction = candidates % 2;
                send(direction, BenchPeer.Kind.CANDIDATE, "{\"candidate\":\"" + Signals.candidate(sent[direction])
                        + "\",\"sdpMid\":\"" + direction + "\",\"sdpMLineIndex\":" + direction + "}");
                if (++candidates == CANDIDATES_PER_CYCLE) {
                    step = Step.OFFER;
                }
                return true;
            }
            default -> {
                return false;
            }
        }
    }

    private void send(int direction, BenchPeer.Kind kind, String value) {
        long number = sent[direction]++;
        sentAt[direction][(int) (number & (RING - 1))] = System.nanoTime();
        BenchPeer from = direction == TO_PATIENT ? provider : patient;
        BenchPeer to = direction == TO_PATIENT ? patient : provider;
        from.signal(to.endpoint, kind, value);
        stats.sent();
    }

    /** A relayed signal reached {@code receiver}. */
    void delivered(BenchPeer receiver, String text) {
        int direction = receiver == patient ? TO_PATIENT : TO_PROVIDER;
        long number = Signals.numberIn(text);
        if (number < 0) {
            stats.error("bench_unnumbered_signal");
            return;
        }
        if (number < expected[direction] || ahead[direction].contains(number)) {
            stats.duplicated++;
            return;
        }
        if (number > expected[direction]) {
            // it overtook one still on its way: counted once it comes, lost if it never does
            stats.outOfOrder++;
            ahead[direction].add(number);
        } else {
            expected[direction] = number + 1;
            while (ahead[direction].remove(expected[direction])) {
                expected[direction]++;
            }
        }
        stats.delivered(System.nanoTime() - sentAt[direction][(int) (number & (RING - 1))]);
        if (receiver.isDescription(text)) {
            if (step == Step.AWAIT_OFFER && direction == TO_PATIENT) {
                step = Step.ANSWER;
            } else if (step == Step.AWAIT_ANSWER && direction == TO_PROVIDER) {
                step = Step.CANDIDATES;
                candidates = 0;
            }
        }
    }

    /** Everything sent has been delivered. */
    boolean drained() {
        return expected[0] == sent[0] && expected[1] == sent[1];
    }


    long sentTotal() {
        return sent[0] + sent[1];
    }

    long deliveredTotal() {
        return expected[0] + expected[1] + ahead[0].size() + ahead[1].size();
    }
}
