package io.telesignal.net.transport;

import static org.assertj.core.api.Assertions.assertThat;

import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.netty.channel.epoll.Epoll;
import io.netty.handler.codec.http.HttpResponseStatus;
import io.telesignal.net.http.HttpListener;
import io.telesignal.net.http.HttpResponse;
import io.telesignal.net.http.ListenerSettings;
import io.telesignal.net.http.Routes;
import io.telesignal.net.metrics.FrontDoorMetrics;
import java.net.InetSocketAddress;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse.BodyHandlers;
import java.time.Duration;
import java.util.Optional;
import java.util.concurrent.CompletableFuture;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

/** Both transports serve for real; {@code auto} picks Linux's epoll, which this project's machines (x86-64) load. */
class EventLoopsTest {
    @Test
    void autoPicksEpollOnLinuxAndNioIsAlwaysThere() {
        org.junit.jupiter.api.Assumptions.assumeTrue(System.getProperty("os.name").startsWith("Linux"),
                "epoll is Linux's; elsewhere auto means NIO");
        assertThat(Epoll.isAvailable()).as("epoll on this Linux machine: %s", Epoll.unavailabilityCause()).isTrue();
        try (EventLoops auto = new EventLoops(1); EventLoops nio = new EventLoops(1, EventLoops.Transport.NIO)) {
            assertThat(auto.transport()).isEqualTo(EventLoops.Transport.EPOLL);
            assertThat(nio.transport()).isEqualTo(EventLoops.Transport.NIO);
            assertThat(EventLoops.Transport.fromName("auto")).isEqualTo(EventLoops.Transport.AUTO);
        }
    }

    @ParameterizedTest
    @EnumSource(value = EventLoops.Transport.class, names = {"EPOLL", "NIO"})
    void eachTransportServesHttp(EventLoops.Transport transport) throws Exception {
        org.junit.jupiter.api.Assumptions.assumeTrue(transport == EventLoops.Transport.NIO || Epoll.isAvailable(),
                "no epoll on this system");
        Routes routes = new Routes().get("/hello", request -> CompletableFuture.completedFuture(
                HttpResponse.text(HttpResponseStatus.OK, "hi from " + request.remoteAddress().getAddress().getHostAddress())));
        try (EventLoops loops = new EventLoops(1, transport)) {
            HttpListener listener = new HttpListener("test", new ListenerSettings("127.0.0.1", 0, false, 10, 10, 1024,
                    Duration.ofSeconds(30)), Optional.empty(), routes, loops, new FrontDoorMetrics(new SimpleMeterRegistry(), "http"));
            InetSocketAddress address = listener.bind();
            try {
                var answer = HttpClient.newHttpClient().send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:"
                        + address.getPort() + "/hello")).build(), BodyHandlers.ofString());
                assertThat(answer.statusCode()).isEqualTo(200);
                assertThat(answer.body()).isEqualTo("hi from 127.0.0.1");
            } finally {
                listener.drain(Duration.ofSeconds(1));
            }
        }
    }
}
