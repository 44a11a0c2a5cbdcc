package io.telesignal.xmpp.transport;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.ByteBufUtil;
import io.netty.channel.ChannelHandlerContext;
import io.netty.channel.ChannelInboundHandlerAdapter;
import io.netty.handler.timeout.IdleStateEvent;
import io.telesignal.xmpp.xml.StreamErrorCondition;
import io.telesignal.xmpp.xml.StreamErrorException;
import io.telesignal.xmpp.xml.XmlStreamParser;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One TCP connection carrying an XML stream, the part every listener shares: bytes go into the connection's parser,
 * and what the parser refuses, an idle connection or an internal failure ends the stream with its stream error.
 */
public abstract class StreamConnection extends ChannelInboundHandlerAdapter {
    private static final Logger LOG = LoggerFactory.getLogger(StreamConnection.class);

    private final String door;

    protected StreamConnection(String door) {
        this.door = door;
    }

    /**
     * Ends every connection's stream with {@code system-shutdown} (a listener closing), each on its own loop, and
     * closes them, waiting up to 2 s.
     */
    public static void shutDown(io.netty.channel.group.ChannelGroup channels) {
        for (io.netty.channel.Channel channel : channels) {
            StreamConnection connection = channel.pipeline().get(StreamConnection.class);
            if (connection != null) {
                channel.eventLoop().execute(() -> connection.fail(
                        new StreamErrorException(StreamErrorCondition.SYSTEM_SHUTDOWN, "the server is stopping")));
            }
        }
        channels.close().awaitUninterruptibly(2, java.util.concurrent.TimeUnit.SECONDS);
    }

    /** The parser the next bytes go to. */
    protected abstract XmlStreamParser parser();

    /** Ends the stream with this error (on the stream's loop). */
    protected abstract void fail(StreamErrorException error);

    @Override
    public void channelRead(ChannelHandlerContext ctx, Object msg) {
        ByteBuf bytes = (ByteBuf) msg;
        try {
            byte[] data = ByteBufUtil.getBytes(bytes);
            parser().feed(data, 0, data.length);
        } catch (StreamErrorException e) {
            fail(e);
        } catch (RuntimeException e) {
            LOG.warn("event=xmpp_failure door={} error={}", door, e.getClass().getSimpleName(), e);
            fail(new StreamErrorException(StreamErrorCondition.INTERNAL_SERVER_ERROR, "internal error"));
        } finally {
            bytes.release();
        }
    }

    @Override
    public void userEventTriggered(ChannelHandlerContext ctx, Object event) {
        if (event instanceof IdleStateEvent) {
            fail(new StreamErrorException(StreamErrorCondition.CONNECTION_TIMEOUT, "idle for too long"));
        } else {
            ctx.fireUserEventTriggered(event);
        }
    }

    @Override
    public void exceptionCaught(ChannelHandlerContext ctx, Throwable cause) {
        LOG.debug("event=xmpp_connection_error door={} error={}", door, cause.getClass().getSimpleName());
        ctx.close();
    }
}
