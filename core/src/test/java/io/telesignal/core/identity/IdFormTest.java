package io.telesignal.core.identity;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.consultation.ConsultationId;
import java.util.Random;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

class IdFormTest {
    private static final Pattern REGEX = Pattern.compile("[A-Za-z0-9][A-Za-z0-9._-]{0,63}");
    private static final String ALPHABET = "aZ09._-/ \u00e9\u0130\u212A:@\n";

    @Test
    void acceptsExactlyWhatTheRegularExpressionAccepts() {
        Random random = new Random(5);
        for (int i = 0; i < 200_000; i++) {
            StringBuilder id = new StringBuilder();
            int length = random.nextInt(68);
            for (int c = 0; c < length; c++) {
                id.append(random.nextInt(4) == 0 ? ALPHABET.charAt(random.nextInt(ALPHABET.length()))
                        : (char) ('!' + random.nextInt(94)));
            }
            String value = id.toString();
            assertThat(IdForm.matches(value)).as(value).isEqualTo(REGEX.matcher(value).matches());
        }
        for (char c = 0; c < 0x300; c++) {
            String value = "a" + c;
            assertThat(IdForm.matches(value)).as("U+%04X", (int) c).isEqualTo(REGEX.matcher(value).matches());
        }
        assertThat(IdForm.matches("a".repeat(64))).isTrue();
        assertThat(IdForm.matches("a".repeat(65))).isFalse();
        assertThat(IdForm.matches("")).isFalse();
        assertThat(IdForm.matches("-a")).isFalse();
    }

    @Test
    void theIdsRefuseWhatIsNotOfTheForm() {
        assertThatThrownBy(() -> new UserId("-x")).hasMessageContaining("user id");
        assertThatThrownBy(() -> new NodeId("a b")).isInstanceOf(IllegalArgumentException.class);
        assertThatThrownBy(() -> new ConsultationId("c".repeat(65))).hasMessageContaining("consultation id");
        assertThat(new ConsultationId("c-1.x_Y").value()).isEqualTo("c-1.x_Y");
    }
}
