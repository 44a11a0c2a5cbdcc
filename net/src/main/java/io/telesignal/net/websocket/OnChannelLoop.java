package io.telesignal.net.websocket;

import io.netty.channel.Channel;
import io.netty.channel.EventLoop;
import java.util.concurrent.RejectedExecutionException;

/**
 * A task for a connection that runs on the event loop the connection's channel is registered with when the task runs,
 * not the one it was on when the task was queued or scheduled: a connection can move to another loop meanwhile
 * ({@link WebSocketConnection#moveTo}). Run on another loop, it hands itself to the channel's current one, and stays
 * in order behind what that loop was asked to run before. The one place that rule lives, for the connection's own
 * drain and flush, its fragment timer, and what front doors queue through {@link WebSocketConnection#execute}.
 */
final class OnChannelLoop implements Runnable {
    private final Channel channel;
    private final Runnable task;
    private final Runnable stopping;

    /**
     * @param stopping run instead of {@code task} when the channel's loop refuses it (the server is stopping), on the
     *     thread that handed it over
     */
    OnChannelLoop(Channel channel, Runnable task, Runnable stopping) {
        this.channel = channel;
        this.task = task;
        this.stopping = stopping;
    }

    @Override
    public void run() {
        EventLoop loop = channel.eventLoop();
        if (loop.inEventLoop()) {
            task.run();
            return;
        }
        try {
            loop.execute(this);
        } catch (RejectedExecutionException refused) {
            stopping.run();
        }
    }
}
