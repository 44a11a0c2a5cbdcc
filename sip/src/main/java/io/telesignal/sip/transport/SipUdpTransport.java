package io.telesignal.sip.transport;

import io.netty.bootstrap.Bootstrap;
import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.netty.channel.Channel;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelOption;
import io.netty.channel.SimpleChannelInboundHandler;
import io.netty.channel.socket.DatagramPacket;
import io.telesignal.net.transport.EventLoops;
import io.telesignal.sip.message.SipMessage;
import io.telesignal.sip.message.SipParseException;
import io.telesignal.sip.message.SipParser;
import java.net.InetSocketAddress;
import java.util.concurrent.atomic.AtomicLong;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * SIP over UDP (RFC 3261 §18): one datagram, one message. The socket's loop only reads; each datagram is parsed and
 * handled on one of the server's loops chosen by its Call-ID, so that the cores share the work (a datagram socket is
 * read by one thread) while the messages of one call keep their order. A request's top Via is stamped with where it
 * came from (RFC 3581), and the flow answers to the packet's source.
 */
public final class SipUdpTransport implements AutoCloseable, Connector {
    private static final Logger LOG = LoggerFactory.getLogger(SipUdpTransport.class);
    private final SipParser parser;
    private final SipHandler handler;
    private final AddressLimiter limiter;
    private final AtomicLong received = new AtomicLong();
    private Channel channel;
    private java.util.concurrent.Executor[] lanes;

    public SipUdpTransport(SipParser parser, SipHandler handler, AddressLimiter limiter) {
        this.parser = parser;
        this.handler = handler;
        this.limiter = limiter;
    }

    public InetSocketAddress bind(EventLoops loops, String host, int port) {
        Bootstrap bootstrap = new Bootstrap().group(loops.io()).channel(loops.datagramChannel())
                .option(ChannelOption.SO_RCVBUF, 4 * 1024 * 1024)
                .handler(new SimpleChannelInboundHandler<DatagramPacket>() {
                    @Override
                    protected void channelRead0(ChannelHandlerContext ctx, DatagramPacket packet) {
                        receive(ctx.channel(), packet);
                    }
                });
        var bound = bootstrap.bind(host, port).awaitUninterruptibly();
        if (!bound.isSuccess()) {
            throw new io.telesignal.net.http.ListenerBindException("sip-udp", host, port, bound.cause());
        }
        channel = bound.channel();
        java.util.List<java.util.concurrent.Executor> executors = new java.util.ArrayList<>();
        loops.io().forEach(executors::add);
        lanes = executors.toArray(java.util.concurrent.Executor[]::new);
        InetSocketAddress address = (InetSocketAddress) channel.localAddress();
        LOG.info("event=listener_bound name=sip-udp address={}:{}", address.getAddress().getHostAddress(), address.getPort());
        return address;
    }

    private void receive(Channel channel, DatagramPacket packet) {
        received.incrementAndGet();
        ByteBuf content = packet.content();
        byte[] bytes = new byte[content.readableBytes()];
        content.getBytes(content.readerIndex(), bytes);
        InetSocketAddress source = packet.sender();
        if (!limiter.allow(source.getAddress())) {
            return; // a flood over UDP is dropped silently: answering it would feed it
        }
        if (Inbound.isKeepalive(bytes)) {
            return; // RFC 5626 §4.4.1: STUN or CRLF keepalives on UDP need no SIP answer here
        }
        Flow flow = new DatagramFlow(channel, source);
        java.util.concurrent.Executor[] all = lanes;
        if (all == null || all.length == 1) {
            handle(bytes, source, flow);
        } else {
            all[Math.floorMod(callIdHash(bytes), all.length)].execute(() -> handle(bytes, source, flow));
        }
    }

    private void handle(byte[] bytes, InetSocketAddress source, Flow flow) {
        SipMessage message;
        try {
            message = parser.parseDatagram(bytes);
        } catch (SipParseException e) {
            handler.refused(e, bytes, flow);
            return;
        }
        Inbound.deliver(message, flow, handler);
    }
   /**
     * A hash of the datagram's Call-ID value (its {@code Call-ID} or {@code i} line, any case), found without parsing;
     * 0 when there is none (the parser will say what is wrong).
     */
    static int callIdHash(byte[] bytes) {
        int n = bytes.length;
        for (int i = 0; i < n - 2; i++) {
            if (bytes[i] != '\n') {
                continue;
            }
            int start = i + 1;
            int nameEnd;
            if (start + 7 < n && regionIgnoreCase(bytes, start, "call-id")) {
                nameEnd = start + 7;
            } else if ((bytes[start] == 'i' || bytes[start] == 'I') && start + 1 < n
                    && (bytes[start + 1] == ':' || bytes[start + 1] == ' ' || bytes[start + 1] == '\t')) {
                nameEnd = start + 1;
            } else {
                continue;
            }
            int j = nameEnd;
            while (j < n && (bytes[j] == ' ' || bytes[j] == '\t')) {
                j++;
            }
            if (j >= n || bytes[j] != ':') {
                continue;
            }
            int hash = 1;
            for (j++; j < n && bytes[j] != '\r' && bytes[j] != '\n'; j++) {
                if (bytes[j] != ' ' && bytes[j] != '\t') {
                    hash = 31 * hash + bytes[j];
                }
            }
            return hash;
        }
        return 0;
    }

    private static boolean regionIgnoreCase(byte[] bytes, int at, String lower) {
        for (int k = 0; k < lower.length(); k++) {
            if (Character.toLowerCase((char) (bytes[at + k] & 0xff)) != lower.charAt(k)) {
                return false;
            }
        }
        return true;
    }


    /** Datagrams to {@code address} from the listening socket (whose address the Via names, RFC 3261 §18.1.1). */
    @Override
    public java.util.concurrent.CompletionStage<Flow> flow(String transport, InetSocketAddress address) {
        Channel bound = channel;
        if (bound == null || !bound.isActive()) {
            return java.util.concurrent.CompletableFuture.failedFuture(new FlowFailedException("UDP is not bound", false));
        }
        return java.util.concurrent.CompletableFuture.completedFuture(new DatagramFlow(bound, address));
    }

    public long received() {
        return received.get();
    }

    @Override
    public void close() {
        if (channel != null) {
            channel.close().awaitUninterruptibly();
        }
    }

    /** The way back over UDP: to the packet's source (a request's Via says the same once stamped). */
    private record DatagramFlow(Channel channel, InetSocketAddress remote) implements Flow {
        @Override
        public String transport() {
            return "UDP";
        }

        @Override
        public boolean reliable() {
            return false;
        }

        @Override
        public void send(byte[] message) {
            channel.writeAndFlush(new DatagramPacket(Unpooled.wrappedBuffer(message), remote));
        }
    }
}
