package io.telesignal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.InetAddress;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ClientAddressesTest {
    @AfterEach
    void reset() {
        ClientAddresses.configure(ClientAddresses.Mode.TRUNCATED);
    }

    @Test
    void truncatedIsTheDefaultAndKeepsTheNetworkOnly() throws Exception {
        assertThat(ClientAddresses.mode()).isEqualTo(ClientAddresses.Mode.TRUNCATED);
        assertThat(ClientAddresses.forLog(InetAddress.getByName("192.0.2.77"))).isEqualTo("192.0.2.0/24");
        assertThat(ClientAddresses.forLog(InetAddress.getByName("2001:db8:85a3:8d3:1319:8a2e:370:7348")))
                .isEqualTo("2001:db8:85a3::/48");
        assertThat(ClientAddresses.forLog("198.51.100.200")).isEqualTo("198.51.100.0/24");
        assertThat(ClientAddresses.forLog("not an address")).isEqualTo("-");
        assertThat(ClientAddresses.forLog((String) null)).isEqualTo("-");
    }

    @Test
    void fullAndNone() throws Exception {
        ClientAddresses.configure(ClientAddresses.Mode.FULL);
        assertThat(ClientAddresses.forLog(InetAddress.getByName("192.0.2.77"))).isEqualTo("192.0.2.77");
        ClientAddresses.configure(ClientAddresses.Mode.NONE);
        assertThat(ClientAddresses.forLog(InetAddress.getByName("192.0.2.77"))).isEqualTo("-");
        assertThat(ClientAddresses.forLog("2001:db8::1")).isEqualTo("-");
    }
}
