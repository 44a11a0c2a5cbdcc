package io.telesignal.core.apikey;

import static org.assertj.core.api.Assertions.assertThatCode;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import io.telesignal.core.identity.UserId;
import java.time.Instant;
import java.util.Set;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.EnumSource;

class ApiKeyPolicyTest {
    private static User user(boolean enabled, Role... roles) {
        return new User(UserId.random(), new Login("u1"), "U", Set.of(roles), enabled, Instant.EPOCH);
    }

    @ParameterizedTest
    @EnumSource(value = Role.class, names = "ADMIN", mode = EnumSource.Mode.EXCLUDE)
    void tokensAndProvisioningForEveryRoleButAdmin(Role role) {
        assertThatCode(() -> ApiKeyPolicy.checkTokenFor(user(true, role))).doesNotThrowAnyException();
        assertThatCode(() -> ApiKeyPolicy.checkProvision(Set.of(role))).doesNotThrowAnyException();
        assertThatCode(() -> ApiKeyPolicy.checkSessionOf(Set.of(role))).doesNotThrowAnyException();
        org.assertj.core.api.Assertions.assertThat(ApiKeyPolicy.managesSessionOf(Set.of(role))).isTrue();
    }

    @Test
    void neverForAnAdministratorEvenAlongsideOtherRoles() {
        assertThatThrownBy(() -> ApiKeyPolicy.checkTokenFor(user(true, Role.PROVIDER, Role.ADMIN)))
                .isInstanceOfSatisfying(io.telesignal.core.Refusal.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("not_authorized"));
        assertThatThrownBy(() -> ApiKeyPolicy.checkProvision(Set.of(Role.STAFF, Role.ADMIN)))
                .hasMessageContaining("administrators");
        assertThatThrownBy(() -> ApiKeyPolicy.checkSessionOf(Set.of(Role.STAFF, Role.ADMIN)))
                .hasMessageContaining("administrators' sessions");
        org.assertj.core.api.Assertions.assertThat(ApiKeyPolicy.managesSessionOf(Set.of(Role.ADMIN))).isFalse();
    }

    @Test
    void noTokenForADisabledAccount() {
        assertThatThrownBy(() -> ApiKeyPolicy.checkTokenFor(user(false, Role.PATIENT)))
                .isInstanceOfSatisfying(io.telesignal.core.Refusal.class,
                        e -> org.assertj.core.api.Assertions.assertThat(e.code()).isEqualTo("account_disabled"));
    }
}
