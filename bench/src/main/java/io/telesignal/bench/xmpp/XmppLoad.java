package io.telesignal.bench.xmpp;

import io.telesignal.bench.ProcessStats;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.atomic.LongAdder;
import org.HdrHistogram.Histogram;
import org.HdrHistogram.Recorder;

/**
 * The XMPP load, the same for every server: pairs of online users exchanging chat messages closed loop, logins, and
 * idle sessions. Every loop is bounded in count and time.
 */
final class XmppLoad {
    private XmppLoad() {}

    /** The server under load: where it listens and its process (for CPU and memory). */
    record Target(String name, InetSocketAddress address, String domain, long pid) {}

    record Relay(long delivered, double seconds, long lost, long duplicated, long reordered, Histogram latency,
            ProcessStats.Cpu cpu) {
        double perSecond() {
            return delivered / seconds;
        }

        double cpuMicrosPerMessage() {
            return cpu.total().toNanos() / 1000.0 / Math.max(1, delivered);
        }
    }

    /** One side of a pair: its connection, what it sent and what it received from its peer. */
    private static final class Side {
        final XmppClient client;
        Side peer;
        final AtomicLong sent = new AtomicLong();
        long expected = 1;
        final AtomicLong received = new AtomicLong();

        Side(XmppClient client) {
            this.client = client;
        }

        void sendNext() throws IOException {
            long seq = sent.incrementAndGet();
            client.send("<message to='" + peer.client.jid() + "' type='chat' id='m" + seq + "'><body>" + seq + " "
                    + System.nanoTime() + "</body></message>");
        }
    }

    /**
     * {@code pairs} pairs; one side of each starts {@code window} messages, and every message a side receives makes it
     * send one back, so each pair keeps {@code window} in flight. After {@code warmup}, {@code measured} is counted; then
     * the senders stop and what is in flight drains (at most 30 s), and what never arrived counts as lost.
     */
    static Relay relay(Target target, List<String> users, String password, int pairs, int window, Duration warmup,
            Duration measured) throws Exception {
        List<Side> sides = signIn(target, users, password, 2 * pairs, "relay");
        Recorder latency = new Recorder(3);
        AtomicBoolean running = new AtomicBoolean(true);
        LongAdder delivered = new LongAdder();
        LongAdder duplicated = new LongAdder();
        LongAdder reordered = new LongAdder();
        List<Thread> readers = new ArrayList<>();
        for (int i = 0; i < pairs; i++) {
            Side a = sides.get(2 * i);
            Side b = sides.get(2 * i + 1);
            a.peer = b;
            b.peer = a;
        }
        for (Side side : sides) {
            Thread reader = new Thread(() -> {
                try {
                    while (true) {
                        String stanza = side.client.next();
                        int body = stanza.startsWith("<message") ? stanza.indexOf("<body>") : -1;
                        if (body < 0) {
                            continue;
                        }
                        String text = stanza.substring(body + 6, stanza.indexOf("</body>", body));
                        int space = text.indexOf(' ');
                        long seq = Long.parseLong(text.substring(0, space));
                        long sentAt = Long.parseLong(text.substring(space + 1));
                        latency.recordValue(Math.max(1, (System.nanoTime() - sentAt) / 1000));
                        if (seq < side.expected) {
                            duplicated.increment();
                        } else {
                            if (seq > side.expected) {
                                reordered.increment();
                            }
                            side.expected = seq + 1;
                            side.received.incrementAndGet();
                            delivered.increment();
                        }
                        if (running.get()) {
                            side.sendNext();
                        }
                    }
                } catch (IOException | RuntimeException e) {
                    // the connection closed at the end of the run
                }
            }, "xmpp-reader");
            reader.setDaemon(true);
            reader.start();
            readers.add(reader);
        }
        for (int i = 0; i < pairs; i++) {
            for (int w = 0; w < window; w++) {
                sides.get(2 * i).sendNext();
            }
        }
        Thread.sleep(warmup.toMillis());
        long before = delivered.sum();
        ProcessStats.Cpu cpuBefore = ProcessStats.cpu(target.pid());
        latency.getIntervalHistogram(); // warm-up latencies are dropped
        long start = System.nanoTime();
        Thread.sleep(measured.toMillis());
        long after = delivered.sum();
        ProcessStats.Cpu cpu = ProcessStats.cpu(target.pid()).minus(cpuBefore);
        double seconds = (System.nanoTime() - start) / 1e9;
        Histogram measuredLatency = latency.getIntervalHistogram();
        running.set(false);
        long until = System.nanoTime() + TimeUnit.SECONDS.toNanos(30);
        while (System.nanoTime() < until && sides.stream().anyMatch(s -> s.peer.received.get() < s.sent.get())) {
            Thread.sleep(50);
        }
        long lost = sides.stream().mapToLong(s -> s.sent.get() - s.peer.received.get()).sum();
        sides.forEach(s -> s.client.close());
        for (Thread reader : readers) {
            reader.join(5000);
        }
        return new Relay(after - before, seconds, lost, duplicated.sum(), reordered.sum(), measuredLatency, cpu);
    }

    record Logins(long done, long failed, double seconds, ProcessStats.Cpu cpu) {
        double perSecond() {
            return done / seconds;
        }
    }

    /** {@code threads} clients signing in (TCP, STARTTLS, SCRAM-SHA-1, bind, presence) and out, for {@code duration}. */
    static Logins logins(Target target, List<String> users, String password, int threads, Duration duration)
            throws Exception {
        // every user's salted password is derived once before the clock starts (what a client keeps, RFC 5802 §5.1)
        signIn(target, users, password, users.size(), "warm").forEach(s -> s.client.close());
        LongAdder done = new LongAdder();
        LongAdder failed = new LongAdder();
        ExecutorService pool = Executors.newFixedThreadPool(threads);
        ProcessStats.Cpu before = ProcessStats.cpu(target.pid());
        long start = System.nanoTime();
        long until = start + duration.toNanos();
        for (int t = 0; t < threads; t++) {
            int thread = t;
            pool.submit(() -> {
                for (int n = 0; System.nanoTime() < until && n < 1_000_000; n++) {
                    String user = users.get((thread + n * threads) % users.size());
                    try (XmppClient client = XmppClient.signIn(target.address(), target.domain(), user, password,
                            "login-" + thread + "-" + n)) {
                        done.increment();
                    } catch (Exception e) {
                        failed.increment();
                    }
                }
            });
        }
        pool.shutdown();
        pool.awaitTermination(duration.toSeconds() + 60, TimeUnit.SECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        return new Logins(done.sum(), failed.sum(), seconds, ProcessStats.cpu(target.pid()).minus(before));
    }

    /** Opens {@code count} sessions spread over the users (signed in, bound, available) and holds them. */
    static List<XmppClient> idle(Target target, List<String> users, String password, int count) throws Exception {
        return signIn(target, users, password, count, "idle").stream().map(s -> s.client).toList();
    }

    private static List<Side> signIn(Target target, List<String> users, String password, int count, String label)
            throws Exception {
        ExecutorService pool = Executors.newFixedThreadPool(8);
        try {
            List<Future<XmppClient>> opening = new ArrayList<>();
            for (int i = 0; i < count; i++) {
                String user = users.get(i % users.size());
                String resource = label + "-" + i;
                opening.add(pool.submit(() -> XmppClient.signIn(target.address(), target.domain(), user, password,
                        resource)));
            }
            List<Side> sides = new ArrayList<>(count);
            for (Future<XmppClient> future : opening) {
                sides.add(new Side(future.get(120, TimeUnit.SECONDS)));
            }
            return sides;
        } finally {
            pool.shutdown();
        }
    }
}
