package io.telesignal.core.secrets;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import java.util.HexFormat;
import org.junit.jupiter.api.Test;

class HmacSha256Test {
    @Test
    void itIsRfc4231AndTheSameOnEveryThread() throws Exception {
        // RFC 4231 test case 2 needs a 4-byte key; case 1's 20-byte key of 0x0b: "Hi There"
        byte[] key = new byte[20];
        java.util.Arrays.fill(key, (byte) 0x0b);
        HmacSha256 hmac = new HmacSha256(key);
        String expected = "b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7";
        assertThat(HexFormat.of().formatHex(hmac.mac("Hi There".getBytes(StandardCharsets.US_ASCII)))).isEqualTo(expected);
        String[] other = new String[1];
        Thread thread = new Thread(() -> other[0] = HexFormat.of().formatHex(hmac.mac("Hi There".getBytes(
                StandardCharsets.US_ASCII))));
        thread.start();
        thread.join();
        assertThat(other[0]).isEqualTo(expected);
        assertThatThrownBy(() -> new HmacSha256(new byte[8])).isInstanceOf(IllegalArgumentException.class);
    }
}
