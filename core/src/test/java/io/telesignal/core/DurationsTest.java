package io.telesignal.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import org.junit.jupiter.api.Test;

class DurationsTest {
    @Test
    void readsEachUnit() {
        assertThat(Durations.parse("500ms")).contains(Duration.ofMillis(500));
        assertThat(Durations.parse("90s")).contains(Duration.ofSeconds(90));
        assertThat(Durations.parse("15m")).contains(Duration.ofMinutes(15));
        assertThat(Durations.parse(" 2h ")).contains(Duration.ofHours(2));
        assertThat(Durations.parse("1d")).contains(Duration.ofDays(1));
    }

    @Test
    void refusesWhatIsNotADuration() {
        for (String text : new String[] {"", "15", "m", "-5s", "1.5h", "2 h", "1w", "PT15M", "1234567890s"}) {
            assertThat(Durations.parse(text)).as(text).isEmpty();
        }
    }
}
