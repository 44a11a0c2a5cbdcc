package io.telesignal.sip.proxy;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.sip.transport.FlowKey;
import java.net.InetSocketAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

/** Flow tokens open only as this server sealed them (RFC 5626 §5.2): nothing altered, forged or foreign. */
class FlowTokensTest {
    private final FlowTokens tokens = new FlowTokens("the secret every node shares".getBytes());
    private final List<FlowKey> flows = List.of(new FlowKey("udp", new InetSocketAddress("192.0.2.7", 5062)),
            new FlowKey("TCP", new InetSocketAddress("2001:db8::1", 40000)));

    @Test
    void aSealedTokenOpensToItsFlowsAndOnlyThat() {
        String token = tokens.seal(flows);
        assertThat(token).matches("[A-Za-z0-9_-]+[.][A-Za-z0-9_-]+"); // what a URI's user part may hold
        assertThat(tokens.open(token)).hasValue(flows);
        assertThat(flows.get(0).transport()).isEqualTo("UDP");
        char last = token.charAt(token.length() - 1);
        assertThat(tokens.open(token.substring(0, token.length() - 1) + (last == 'A' ? 'B' : 'A'))).as("altered MAC")
                .isEmpty();
        assertThat(tokens.open("X" + token)).as("altered flows").isEmpty();
        assertThat(new FlowTokens("another server's secret!".getBytes()).open(token)).as("foreign").isEmpty();
        assertThat(tokens.open("no-dot")).isEmpty();
        assertThat(tokens.open("!!!.???")).isEmpty();
        assertThat(tokens.open("a".repeat(600) + ".b")).as("too long").isEmpty();
    }
}
