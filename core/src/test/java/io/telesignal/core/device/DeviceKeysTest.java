package io.telesignal.core.device;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.directory.InvalidPasswordException;
import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class DeviceKeysTest {

    @Test
    void sipHa1MatchesRfc7616Examples() throws Exception {
        // RFC 7616 §3.9.1: user Mufasa, realm http-auth@example.org, password "Circle of Life"
        String md5 = DeviceKeys.ha1("MD5", "Mufasa", "http-auth@example.org", "Circle of Life");
        String sha256 = DeviceKeys.ha1("SHA-256", "Mufasa", "http-auth@example.org", "Circle of Life");
        String nonce = "7ypf/xlj9XXwfDPEoM4URrv/xwf94BcCAzFZH4GiTo0v";
        String cnonce = "f2/wE4q74E6zIJEtWaHKaf5wv/H5QzzpXusqGemxURZJ";
        String tail = ":" + nonce + ":00000001:" + cnonce + ":auth:";

        assertThat(hex("MD5", md5 + tail + hex("MD5", "GET:/dir/index.html")))
                .isEqualTo("8ca523f5e9506fed4657c9700eebdbec");
        assertThat(hex("SHA-256", sha256 + tail + hex("SHA-256", "GET:/dir/index.html")))
                .isEqualTo("753927fa0e85d155564e2e272a28d1802ca10daf4496794697cf8db5856cb6c1");
    }

    @Test
    void saslPrepMapsSpacesAndRefusesControls() {
        assertThat(SaslPrep.prepare("a\u00A0b\u00ADc".toCharArray())).isEqualTo("a bc");
        assertThat(SaslPrep.prepare("\u2168".toCharArray())).isEqualTo("IX");
        assertThatThrownBy(() -> SaslPrep.prepare("bad\u0007bell".toCharArray()))
                .isInstanceOf(InvalidPasswordException.class);
    }

    @Test
    void saslPrepAppliesTheBidiRule() {
        // RFC 3454 §6: right-to-left text alone passes; mixed with left-to-right, or not at both ends, it does not
        assertThat(SaslPrep.prepare("\u05D0\u05D1\u05D2".toCharArray())).isEqualTo("\u05D0\u05D1\u05D2");
        assertThat(SaslPrep.prepare("\u0627 1 \u0628".toCharArray())).isEqualTo("\u0627 1 \u0628");
        assertThatThrownBy(() -> SaslPrep.prepare("\u05D0abc\u05D1".toCharArray()))
                .isInstanceOf(InvalidPasswordException.class).hasMessageContaining("RFC 3454");
        assertThatThrownBy(() -> SaslPrep.prepare("\u0627\u0628 1".toCharArray()))
                .isInstanceOf(InvalidPasswordException.class).hasMessageContaining("begin and end");
        assertThatThrownBy(() -> SaslPrep.prepare("1\u05D0".toCharArray()))
                .isInstanceOf(InvalidPasswordException.class);
        // RFC 3454 §6 item 1 (C.8): a directional mark is refused outright
        assertThatThrownBy(() -> SaslPrep.prepare("abc\u200Fdef".toCharArray()))
                .isInstanceOf(InvalidPasswordException.class);
    }

    private static String hex(String algorithm, String input) throws Exception {
        return HexFormat.of().formatHex(MessageDigest.getInstance(algorithm).digest(input.getBytes(StandardCharsets.UTF_8)));
    }
}
