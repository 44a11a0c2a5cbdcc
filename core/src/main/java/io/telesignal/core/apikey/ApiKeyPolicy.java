package io.telesignal.core.apikey;

import io.telesignal.core.Refusal;
import io.telesignal.core.identity.Role;
import io.telesignal.core.identity.User;
import java.util.Set;

/**
 * What a platform backend holding an API key may do for its users. It signs its users in and provisions them,
 * but it never acts as, or creates, a telesignal administrator, nor manages one's sessions, and it cannot sign in a
 * disabled account.
 */
public final class ApiKeyPolicy {
    private ApiKeyPolicy() {}

    /** Throws a {@link Refusal} ({@code not_authorized}, {@code account_disabled}) unless an API key may have a token issued for this user. */
    public static void checkTokenFor(User user) {
        if (user.hasRole(Role.ADMIN)) {
            throw new Refusal("not_authorized", "API keys do not issue tokens for administrators");
        }
        if (!user.enabled()) {
            throw new Refusal("account_disabled", "the account is disabled");
        }
    }

    /** Throws a {@link Refusal} ({@code not_authorized}) unless an API key may create a user with these roles. */
    public static void checkProvision(Set<Role> roles) {
        if (roles.contains(Role.ADMIN)) {
            throw new Refusal("not_authorized", "API keys do not create administrators");
        }
    }

    /** Whether an API key may see, disconnect and end a session of a user with these roles: not an administrator's. */
    public static boolean managesSessionOf(Set<Role> roles) {
        return !roles.contains(Role.ADMIN);
    }

    /** Throws a {@link Refusal} ({@code not_authorized}) unless {@link #managesSessionOf}. */
    public static void checkSessionOf(Set<Role> roles) {
        if (!managesSessionOf(roles)) {
            throw new Refusal("not_authorized", "API keys do not manage administrators' sessions");
        }
    }
}
