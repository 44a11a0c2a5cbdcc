package io.telesignal.net.proxy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.net.InetAddress;
import java.util.List;
import org.junit.jupiter.api.Test;

class TrustedProxiesTest {
    private static InetAddress ip(String literal) throws Exception {
        return InetAddress.getByName(literal);
    }

    @Test
    void rangesAndAddressesOfBothFamilies() throws Exception {
        TrustedProxies trusted = TrustedProxies.parse(List.of("10.0.0.0/8", "192.0.2.7", "2001:db8::/32", "172.16.0.0/12"));
        assertThat(trusted.contains(ip("10.255.1.2"))).isTrue();
        assertThat(trusted.contains(ip("11.0.0.1"))).isFalse();
        assertThat(trusted.contains(ip("192.0.2.7"))).isTrue();
        assertThat(trusted.contains(ip("192.0.2.8"))).isFalse();
        assertThat(trusted.contains(ip("172.31.255.255"))).isTrue();
        assertThat(trusted.contains(ip("172.32.0.0"))).isFalse();
        assertThat(trusted.contains(ip("2001:db8:ffff::1"))).isTrue();
        assertThat(trusted.contains(ip("2001:db9::1"))).isFalse();
        assertThat(TrustedProxies.NONE.contains(ip("127.0.0.1"))).isFalse();
    }

    @Test
    void namesAndBadRangesAreRefused() {
        for (String bad : new String[] {"proxy.example.org", "10.0.0.0/33", "10.0.0.0/x", "::1/129", ""}) {
            assertThatThrownBy(() -> TrustedProxies.parse(List.of(bad))).as(bad)
                    .isInstanceOf(IllegalArgumentException.class);
        }
    }
}
