package io.telesignal.bench;

import io.netty.bootstrap.Bootstrap;
import io.netty.channel.ChannelFuture;
import io.netty.channel.ChannelInitializer;
import io.netty.channel.ChannelOption;
import io.netty.channel.EventLoop;
import io.netty.channel.EventLoopGroup;
import io.netty.channel.MultiThreadIoEventLoopGroup;
import io.netty.channel.epoll.Epoll;
import io.netty.channel.epoll.EpollIoHandler;
import io.netty.channel.epoll.EpollSocketChannel;
import io.netty.channel.nio.NioIoHandler;
import io.netty.channel.socket.SocketChannel;
import io.netty.channel.socket.nio.NioSocketChannel;
import io.netty.handler.codec.http.HttpClientCodec;
import io.netty.handler.codec.http.HttpObjectAggregator;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolConfig;
import io.netty.handler.codec.http.websocketx.WebSocketClientProtocolHandler;
import java.net.URI;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Future;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import java.util.function.Consumer;

/**
 * The client side of a run: opens two WebSocket sessions per pair, joins and admits them, then drives phases of
 * relayed signaling. Pairs are spread over the client's event loops, each pair on one loop, so a loop's pairs,
 * peers and counters are never shared.
 */
final class LoadRun implements AutoCloseable {

    private final EventLoopGroup group;
    private final List<EventLoop> loops = new ArrayList<>();
    private final List<LoopStats> stats = new ArrayList<>();
    private final List<List<Pair>> pairsByLoop = new ArrayList<>();
    private final List<URI> uris;
    private final Duration ackDelay;
    private io.netty.handler.ssl.SslContext tls;
    private boolean cumulativeSignalAcks = true;

    /** How telesignal sessions say hello: {@code signalAcks} cumulative (as the SDK does) or each. */
    LoadRun signalAcks(String mode) {
        cumulativeSignalAcks = !"each".equals(mode);
        return this;
    }

    LoadRun(URI uri, int clientThreads, Duration ackDelay) {
        this(List.of(uri), clientThreads, ackDelay);
    }

    /**
     * Against several nodes: pair {@code i}'s provider connects to node {@code i mod n} and its patient to the next
     * node, so with two nodes or more every signal is relayed from one node to another.
     */
    LoadRun(List<URI> uris, int clientThreads, Duration ackDelay) {
        this.uris = List.copyOf(uris);
        this.ackDelay = ackDelay;
        this.group = new MultiThreadIoEventLoopGroup(clientThreads,
                Epoll.isAvailable() ? EpollIoHandler.newFactory() : NioIoHandler.newFactory());
        group.forEach(executor -> {
            loops.add((EventLoop) executor);
            stats.add(new LoopStats());
            pairsByLoop.add(new ArrayList<>());
        });
    }

    /** The client's TLS for wss: BoringSSL where it loads (less of the shared CPU), any certificate (loopback). */
    private synchronized io.netty.handler.ssl.SslContext tls() {
        if (tls == null) {
            try {
                tls = io.netty.handler.ssl.SslContextBuilder.forClient()
                        .sslProvider(io.netty.handler.ssl.OpenSsl.isAvailable() ? io.netty.handler.ssl.SslProvider.OPENSSL
                                : io.netty.handler.ssl.SslProvider.JDK)
                        .trustManager(io.netty.handler.ssl.util.InsecureTrustManagerFactory.INSTANCE).build();
            } catch (javax.net.ssl.SSLException e) {
                throw new IllegalStateException(e);
            }
        }
        return tls;
    }

    int pairs() {
        return pairsByLoop.stream().mapToInt(List::size).sum();
    }

    /** Connects, says hello, joins, admits: every pair ready to call. Fails on the first setup error. */
    void setUp(List<Provisioning.PairSetup> setups, Duration timeout, int connectsInFlight) throws Exception {
        Semaphore connects = new Semaphore(connectsInFlight);
        List<CompletableFuture<Void>> ready = new ArrayList<>();
        for (int i = 0; i < setups.size(); i++) {
            Provisioning.PairSetup setup = setups.get(i);
            int index = i % loops.size();
            Pair pair = new Pair(setup.consultation(), loops.get(index), stats.get(index));
            Peer provider = new Peer(pair, true, setup.providerToken(), cumulativeSignalAcks);
            Peer patient = new Peer(pair, false, setup.patientToken(), cumulativeSignalAcks);
            pair.provider = provider;
            pair.patient = patient;
            pairsByLoop.get(index).add(pair);
            connects.acquire(2);
            connect(provider, uris.get(i % uris.size())).whenComplete((p, f) -> connects.release());
            connect(patient, uris.get((i + 1) % uris.size())).whenComplete((p, f) -> connects.release());
            ready.add(provider.welcomed.thenCombine(patient.welcomed, (a, b) -> pair)
                    .thenCompose(p -> join(provider, patient, setup)));
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        startTicking();
    }

    /**
     * Against a relay that needs no setup (the PeerJS server, the bare relay): {@code pairs} pairs of {@link PeerJsPeer}
     * with ids {@code <prefix><n>a} and {@code <prefix><n>b}, each connecting to {@code uriFor.apply(id, peerId)}.
     * Answers how long until every connection was open.
     */
    double setUpRelay(int pairs, String prefix, java.util.function.BiFunction<String, String, URI> uriFor,
            Duration timeout, int connectsInFlight) throws Exception {
        return openAll(pairs, i -> prefix + i, (pair, i, provider) -> new PeerJsPeer(pair, provider,
                pair.consultation + (provider ? "a" : "b")), peer -> uriFor.apply(peer.endpoint,
                (peer == peer.pair.provider ? peer.pair.patient : peer.pair.provider).endpoint), timeout, connectsInFlight);
    }

    /** Makes pair {@code i}'s provider or patient. */
    private interface PeerMaker {
        BenchPeer make(Pair pair, int i, boolean provider);
    }

    /**
     * Makes {@code pairs} pairs (named by {@code name}, their peers made by {@code peer}) and opens every peer's
     * connection at once, at most {@code connectsInFlight} on their way; answers how long until every one was ready.
     */
    private double openAll(int pairs, java.util.function.IntFunction<String> name,
            PeerMaker peer,
            java.util.function.Function<BenchPeer, URI> uriFor, Duration timeout, int connectsInFlight) throws Exception {
        Semaphore connects = new Semaphore(connectsInFlight);
        List<CompletableFuture<BenchPeer>> ready = new ArrayList<>();
        long start = System.nanoTime();
        for (int i = 0; i < pairs; i++) {
            int index = i % loops.size();
            Pair pair = new Pair(name.apply(i), loops.get(index), stats.get(index));
            pair.provider = peer.make(pair, i, true);
            pair.patient = peer.make(pair, i, false);
            pairsByLoop.get(index).add(pair);
            for (BenchPeer one : List.of(pair.provider, pair.patient)) {
                connects.acquire();
                connect(one, uriFor.apply(one)).whenComplete((p, f) -> connects.release());
                ready.add(one.welcomed);
            }
        }
        CompletableFuture.allOf(ready.toArray(CompletableFuture[]::new)).get(timeout.toMillis(), TimeUnit.MILLISECONDS);
        double seconds = (System.nanoTime() - start) / 1e9;
        startTicking();
        return seconds;
    }

    /**
     * Like the SDK: what arrived is acknowledged within the ack delay, on a message going out anyway when there is
     * one, else on its own (the server then drops it from the session's resume buffer); a PeerJS client's heartbeat.
     */
    private void startTicking() {
        for (int i = 0; i < loops.size(); i++) {
            List<Pair> pairs = pairsByLoop.get(i);
            loops.get(i).scheduleAtFixedRate(() -> pairs.forEach(p -> {
                p.provider.tick();
                p.patient.tick();
            }), ackDelay.toMillis(), ackDelay.toMillis(), TimeUnit.MILLISECONDS);
        }
    }

    /**
     * A connection storm against telesignal: every session of {@code setups} says hello at once (at most
     * {@code connectsInFlight} handshakes on their way), no joins. Answers how long until every one had its
     * {@code welcome}. The sessions stay open until {@link #closeSessions()}.
     */
    double storm(List<Provisioning.PairSetup> setups, Duration timeout, int connectsInFlight) throws Exception {
        return openAll(setups.size(), i -> setups.get(i).consultation(), (pair, i, provider) -> new Peer(pair, provider,
                provider ? setups.get(i).providerToken() : setups.get(i).patientToken(), cumulativeSignalAcks),
                peer -> uris.get(0), timeout, connectsInFlight);
    }

    /** Closes every session (1000), waits until the connections are gone, and forgets the pairs. */
    void closeAndForget(Duration timeout) throws Exception {
        closeSessions();
        long deadline = System.nanoTime() + timeout.toNanos();
        for (List<Pair> pairs : pairsByLoop) {
            for (Pair pair : pairs) {
                for (BenchPeer peer : List.of(pair.provider, pair.patient)) {
                    if (peer.channel != null) {
                        peer.channel.closeFuture().await(Math.max(1, (deadline - System.nanoTime()) / 1_000_000));
                    }
                }
            }
        }
        onEachLoop(i -> pairsByLoop.get(i).clear());
    }

    private CompletableFuture<BenchPeer> connect(BenchPeer peer, URI uri) {
        EventLoop loop = peer.pair.loop;
        peer.uri = uri;
        boolean secure = "wss".equals(uri.getScheme());
        WebSocketClientProtocolConfig config = WebSocketClientProtocolConfig.newBuilder().webSocketUri(uri)
                .subprotocol(peer.subprotocol()).maxFramePayloadLength(1 << 20).handshakeTimeoutMillis(60_000)
                // a browser checks that text frames are UTF-8, but a generator that does so byte by byte spends a
                // fifth of its time there, which on a shared machine is taken from the server being measured
                .withUTF8Validator(false)
                .build();
        ChannelFuture connected = new Bootstrap().group(loop)
                .channel(Epoll.isAvailable() ? EpollSocketChannel.class : NioSocketChannel.class)
                .option(ChannelOption.TCP_NODELAY, true)
                .option(ChannelOption.CONNECT_TIMEOUT_MILLIS, 30_000)
                .handler(new ChannelInitializer<SocketChannel>() {
                    @Override
                    protected void initChannel(SocketChannel channel) {
                        if (secure) {
                            channel.pipeline().addLast(tls().newHandler(channel.alloc(), uri.getHost(), uri.getPort()));
                        }
                        channel.pipeline().addLast(new HttpClientCodec(), new HttpObjectAggregator(1 << 16),
                                new WebSocketClientProtocolHandler(config), peer);
                    }
                }).connect(uri.getHost(), uri.getPort());
        connected.addListener(f -> {
            if (!f.isSuccess()) {
                if (peer instanceof Peer resumable && resumable.onLost != null) {
                    loop.schedule(resumable::connectFailed, 100, TimeUnit.MILLISECONDS);
                } else {
                    peer.welcomed.completeExceptionally(f.cause());
                }
            }
        });
        return peer.welcomed;
    }

    /** The provider joins (admitted at once), then the patient (waiting room), then the provider admits them. */
    private static CompletableFuture<Void> join(Peer provider, Peer patient, Provisioning.PairSetup setup) {
        String consultation = "\"consultation\":\"" + provider.pair.consultation + "\"";
        return provider.request("join", consultation)
                .thenCompose(joined -> {
                    provider.endpoint = endpointOf(joined, setup.providerId());
                    return patient.request("join", consultation);
                })
                .thenCompose(waiting -> provider.request("admit", consultation + ",\"user\":\"" + setup.patientId() + "\""))
                .thenAccept(admitted -> patient.endpoint = endpointOf(admitted, setup.patientId()));
    }

    /** The first endpoint of a user in a consultation view: {@code {"user":"<id>",...,"endpoints":["<ep>"]}}. */
    static String endpointOf(String view, String user) {
        int at = view.indexOf("\"user\":\"" + user + "\"");
        int endpoints = at < 0 ? -1 : view.indexOf("\"endpoints\":[\"", at);
        if (endpoints < 0) {
            throw new IllegalStateException("no endpoint for " + user + " in the consultation view");
        }
        int start = endpoints + "\"endpoints\":[\"".length();
        return view.substring(start, view.indexOf('"', start));
    }

    /**
     * Relays at {@code rate} signals per second (0: as fast as the window allows) for {@code duration}, then waits
     * until everything sent has arrived (at most {@code drain}). With a window, a pair never has more than that
     * many signals on their way.
     */
    PhaseResult phase(String name, double rate, int window, Duration duration, Duration drain, boolean record)
            throws Exception {
        onEachLoop(i -> stats.get(i).reset(record));
        List<Future<?>> tickers = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + duration.toNanos();
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            double share = rate / loops.size();
            Ticker ticker = new Ticker(pairsByLoop.get(index), share, window, start, end);
            tickers.add(loops.get(index).scheduleAtFixedRate(ticker, 0, 1, TimeUnit.MILLISECONDS));
        }
        Thread.sleep(duration.toMillis());
        tickers.forEach(t -> t.cancel(false));
        long sendingEnded = System.nanoTime();
        long drainDeadline = sendingEnded + drain.toNanos();
        while (System.nanoTime() < drainDeadline && !drained()) {
            Thread.sleep(20);
        }
        long elapsedNanos = sendingEnded - start;
        onEachLoop(i -> pairsByLoop.get(i).forEach(p -> {
            p.provider.tick();
            p.patient.tick();
        }));
        LoopStats total = new LoopStats();
        for (int i = 0; i < loops.size(); i++) {
            total.add(loops.get(i).submit(stats.get(i)::snapshot).get());
        }
        return new PhaseResult(name, rate, window, elapsedNanos / 1e9, total, ProcessStats.Cpu.NONE, ProcessStats.Cpu.NONE);
    }

    /** What the failover phase found. */
    record Failover(int sessions, int resumed, List<String> refused, int retried, double allResumedSeconds,
            double p50Millis, double p99Millis, PhaseResult load) {
        Map<String, Object> asMap() {
            Map<String, Object> map = new java.util.LinkedHashMap<>();
            map.put("sessionsOnKilledNode", sessions);
            map.put("resumed", resumed);
            map.put("refused", refused.size());
            map.put("helloRetried", retried);
            map.put("allResumedSeconds", Math.round(allResumedSeconds * 1000) / 1000.0);
            map.put("resumeP50Millis", Math.round(p50Millis * 10) / 10.0);
            map.put("resumeP99Millis", Math.round(p99Millis * 10) / 10.0);
            map.put("load", load.asMap());
            return map;
        }

        String describe() {
            return String.format("failover: %d sessions on the killed node, %d resumed on the others (%d refused, %d"
                    + " hellos told to try again); all back %.2f s after the SIGKILL; per session p50 %.0f ms, p99 %.0f ms"
                    + "%n%s", sessions, resumed, refused.size(), retried, allResumedSeconds, p50Millis, p99Millis,
                    load.describe());
        }

        Failover withLoad(PhaseResult measured) {
            return new Failover(sessions, resumed, refused, retried, allResumedSeconds, p50Millis, p99Millis, measured);
        }

        /** Every session back, and every signal delivered once (signals resent together may overtake each other). */
        boolean clean() {
            return resumed == sessions && refused.isEmpty() && load.lost() == 0 && load.stats().duplicated == 0
                    && load.stats().errors.isEmpty() && load.stats().unexpectedCloses == 0;
        }
    }

    /**
     * Relays at {@code rate} for {@code before}, kills node {@code victim} with SIGKILL, and goes on for {@code after}:
     * every session of the dead node reconnects to the next node and resumes there, sending again what was not
     * answered. Answers how long until every one was back, and what became of every signal.
     */
    Failover failover(double rate, Duration before, Duration after, Runnable kill, int victim) throws Exception {
        URI dead = uris.get(victim);
        URI next = uris.get((victim + 1) % uris.size());
        List<Peer> victims = new ArrayList<>();
        onEachLoop(i -> {
            stats.get(i).reset(true);
            for (Pair pair : pairsByLoop.get(i)) {
                for (Peer peer : List.of((Peer) pair.provider, (Peer) pair.patient)) {
                    peer.onLost = lost -> connect(lost, next);
                    if (peer.uri.equals(dead)) {
                        synchronized (victims) {
                            victims.add(peer);
                        }
                    }
                }
            }
        });
        List<Future<?>> tickers = new ArrayList<>();
        long start = System.nanoTime();
        long end = start + before.plus(after).toNanos();
        for (int i = 0; i < loops.size(); i++) {
            Ticker ticker = new Ticker(pairsByLoop.get(i), rate / loops.size(), 0, start, end);
            tickers.add(loops.get(i).scheduleAtFixedRate(ticker, 0, 1, TimeUnit.MILLISECONDS));
        }
        Thread.sleep(before.toMillis());
        long killedAt = System.nanoTime();
        kill.run();
        long deadline = killedAt + after.toNanos();
        while (System.nanoTime() < deadline && victims.stream().anyMatch(p -> p.resumedAt == 0 && p.refused == null)) {
            Thread.sleep(5);
        }
        long allBack = victims.stream().mapToLong(p -> p.resumedAt).max().orElse(killedAt);
        Thread.sleep(Math.max(0, (deadline - System.nanoTime()) / 1_000_000));
        tickers.forEach(t -> t.cancel(false));
        long sendingEnded = System.nanoTime();
        while (System.nanoTime() < sendingEnded + TimeUnit.SECONDS.toNanos(30) && !drained()) {
            Thread.sleep(20);
        }
        LoopStats total = new LoopStats();
        for (int i = 0; i < loops.size(); i++) {
            total.add(loops.get(i).submit(stats.get(i)::snapshot).get());
        }
        org.HdrHistogram.Histogram resume = new org.HdrHistogram.Histogram(3);
        List<String> refused = new ArrayList<>();
        int resumed = 0;
        int retried = 0;
        for (Peer peer : victims) {
            retried += peer.retried;
            if (peer.refused != null) {
                refused.add(peer.refused);
            } else if (peer.resumedAt != 0) {
                resumed++;
                resume.recordValue(Math.max(0, (peer.resumedAt - killedAt) / 1000));
            }
        }
        onEachLoop(i -> pairsByLoop.get(i).forEach(p -> {
            ((Peer) p.provider).onLost = null;
            ((Peer) p.patient).onLost = null;
        }));
        return new Failover(victims.size(), resumed, refused, retried, (allBack - killedAt) / 1e9,
                resume.getValueAtPercentile(50) / 1000.0, resume.getValueAtPercentile(99) / 1000.0,
                new PhaseResult("failover", rate, 0, (sendingEnded - start) / 1e9, total, ProcessStats.Cpu.NONE,
                        ProcessStats.Cpu.NONE));
    }

    /** Everything sent has arrived, and (telesignal) every signal is answered: acknowledgements may come later. */
    private boolean drained() throws Exception {
        for (int i = 0; i < loops.size(); i++) {
            List<Pair> pairs = pairsByLoop.get(i);
            LoopStats loopStats = stats.get(i);
            if (!loops.get(i).submit(() -> pairs.stream().allMatch(Pair::drained) && (pairs.isEmpty()
                    || !(pairs.get(0).provider instanceof Peer) || loopStats.answered >= loopStats.sent)).get()) {
                return false;
            }
        }
        return true;
    }

    private void onEachLoop(Consumer<Integer> work) throws Exception {
        for (int i = 0; i < loops.size(); i++) {
            int index = i;
            loops.get(i).submit(() -> work.accept(index)).get();
        }
    }

    /** One loop's sender: spreads its share of the rate over its pairs, round robin, every millisecond. */
    private static final class Ticker implements Runnable {
        private final List<Pair> pairs;
        private final double perNano;
        private final int window;
        private final long start;
        private final long end;
        private long issued;
        private int cursor;

        Ticker(List<Pair> pairs, double perSecond, int window, long start, long end) {
            this.pairs = pairs;
            this.perNano = perSecond / 1e9;
            this.window = window;
            this.start = start;
            this.end = end;
        }

        @Override
        public void run() {
            long now = System.nanoTime();
            if (now >= end || pairs.isEmpty()) {
                return;
            }
            // open loop: what the rate allows by now; closed loop (rate 0): one pass over the pairs
            long budget = perNano > 0 ? (long) ((now - start) * perNano) - issued : Long.MAX_VALUE;
            if (perNano > 0 && budget > pairs.size()) {
                issued += budget - pairs.size(); // fell behind by more than a round: do not burst to catch up
                budget = pairs.size();
            }
            int scanned = 0;
            while (budget > 0 && scanned < pairs.size()) {
                Pair pair = pairs.get(cursor);
                cursor = (cursor + 1) % pairs.size();
                scanned++;
                while (budget > 0 && (window <= 0 || pair.inFlight() < window) && pair.sendNext()) {
                    budget--;
                    issued++;
                    if (perNano > 0) {
                        break; // at a set rate, one signal per pair per pass spreads the load evenly
                    }
                }
            }
        }
    }

    /** Ends every session cleanly (close 1000). */
    void closeSessions() throws Exception {
        onEachLoop(i -> pairsByLoop.get(i).forEach(p -> {
            p.provider.close();
            p.patient.close();
        }));
    }

    @Override
    public void close() {
        group.shutdownGracefully(0, 2, TimeUnit.SECONDS).syncUninterruptibly();
    }

    /** What one phase measured; CPU time of the server and of the generator over the phase and its drain. */
    record PhaseResult(String name, double targetRate, int window, double seconds, LoopStats stats,
            ProcessStats.Cpu serverCpu, ProcessStats.Cpu benchCpu) {
        PhaseResult withCpu(ProcessStats.Cpu server, ProcessStats.Cpu bench) {
            return new PhaseResult(name, targetRate, window, seconds, stats, server, bench);
        }

        double serverCpuSeconds() {
            return serverCpu.total().toMillis() / 1000.0;
        }

        double benchCpuSeconds() {
            return benchCpu.total().toMillis() / 1000.0;
        }

        /** CPU microseconds per delivered signal, for one process's share of it. */
        private double microsPerSignal(java.time.Duration cpu) {
            return stats.delivered == 0 ? 0 : cpu.toNanos() / 1000.0 / stats.delivered;
        }

        double deliveredPerSecond() {
            return stats.delivered / seconds;
        }

        long lost() {
            return stats.sent - stats.delivered;
        }

        boolean clean() {
            return lost() == 0 && stats.duplicated == 0 && stats.outOfOrder == 0 && stats.errors.isEmpty()
                    && stats.unexpectedCloses == 0 && stats.connectionsLost == 0;
        }

        String describe() {
            var h = stats.latencyMicros;
            String target = targetRate > 0 ? String.format("%.0f/s", targetRate) : "window " + window;
            String latency = h.getTotalCount() == 0 ? "" : String.format(
                    "; latency ms p50 %.2f p90 %.2f p99 %.2f p99.9 %.2f max %.2f",
                    h.getValueAtPercentile(50) / 1000.0, h.getValueAtPercentile(90) / 1000.0,
                    h.getValueAtPercentile(99) / 1000.0, h.getValueAtPercentile(99.9) / 1000.0, h.getMaxValue() / 1000.0);
            return String.format("%-10s (%s, %.1f s): sent %d, delivered %d (%.0f/s), lost %d, duplicated %d, out of order %d,"
                    + " results %d, bare acks %d, errors %s, closes %d; CPU s server %.1f bench %.1f"
                    + " (µs per signal: server %.1f user + %.1f kernel, bench %.1f + %.1f)%s",
                    name, target, seconds, stats.sent, stats.delivered, deliveredPerSecond(), lost(), stats.duplicated,
                    stats.outOfOrder, stats.answered, stats.acks, stats.errors, stats.unexpectedCloses + stats.connectionsLost,
                    serverCpuSeconds(), benchCpuSeconds(), microsPerSignal(serverCpu.user()),
                    microsPerSignal(serverCpu.kernel()), microsPerSignal(benchCpu.user()), microsPerSignal(benchCpu.kernel()),
                    latency);
        }

        java.util.Map<String, Object> asMap() {
            var h = stats.latencyMicros;
            java.util.Map<String, Object> map = new java.util.LinkedHashMap<>();
            map.put("name", name);
            map.put("targetRate", targetRate);
            map.put("window", window);
            map.put("seconds", seconds);
            map.put("sent", stats.sent);
            map.put("delivered", stats.delivered);
            map.put("deliveredPerSecond", Math.round(deliveredPerSecond()));
            map.put("lost", lost());
            map.put("duplicated", stats.duplicated);
            map.put("outOfOrder", stats.outOfOrder);
            map.put("results", stats.answered);
            map.put("bareAcks", stats.acks);
            map.put("errors", stats.errors);
            map.put("closes", stats.unexpectedCloses + stats.connectionsLost);
            map.put("serverCpuSeconds", serverCpuSeconds());
            map.put("benchCpuSeconds", benchCpuSeconds());
            map.put("serverKernelCpuSeconds", serverCpu.kernel().toMillis() / 1000.0);
            map.put("benchKernelCpuSeconds", benchCpu.kernel().toMillis() / 1000.0);
            map.put("serverCpuMicrosPerSignal", Math.round(microsPerSignal(serverCpu.total()) * 10) / 10.0);
            map.put("benchCpuMicrosPerSignal", Math.round(microsPerSignal(benchCpu.total()) * 10) / 10.0);
            if (h.getTotalCount() > 0) {
                for (double p : new double[] {50, 90, 99, 99.9}) {
                    map.put("latencyMsP" + (p == 99.9 ? "99_9" : Integer.toString((int) p)), h.getValueAtPercentile(p) / 1000.0);
                }
                map.put("latencyMsMax", h.getMaxValue() / 1000.0);
            }
            return map;
        }
    }
}
