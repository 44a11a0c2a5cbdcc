package io.telesignal.server.wiring;

import io.telesignal.core.directory.Accounts;
import io.telesignal.core.directory.GeneratedPassword;
import io.telesignal.core.identity.Login;
import io.telesignal.core.identity.Role;
import java.io.PrintStream;
import java.security.SecureRandom;
import java.util.List;
import java.util.Set;

/**
 * {@code --demo}: one user per main role, so a newcomer can try the server at once. Passwords are random and
 * printed once, to the console only (never to the log). Users that already exist are left alone.
 */
final class DemoUsers {
    private record Demo(String login, String name, Role role) {}

    private static final List<Demo> USERS = List.of(
            new Demo("patient", "Demo Patient", Role.PATIENT),
            new Demo("provider", "Demo Provider", Role.PROVIDER),
            new Demo("interpreter", "Demo Interpreter", Role.INTERPRETER),
            new Demo("admin", "Demo Admin", Role.ADMIN));

    private DemoUsers() {}

    static void seed(Accounts accounts, PrintStream console) {
        SecureRandom random = new SecureRandom();
        StringBuilder created = new StringBuilder();
        for (Demo demo : USERS) {
            Login login = new Login(demo.login());
            if (accounts.find(login).isPresent()) {
                continue;
            }
            char[] password = GeneratedPassword.generate(random);
            accounts.add(login, demo.name(), Set.of(demo.role()), password, "demo");
            created.append(String.format("  %-12s %-12s %s%n", demo.login(), demo.role().wireName(), new String(password)));
        }
        if (created.length() == 0) {
            console.println("demo users already exist (patient, provider, interpreter, admin); passwords were printed"
                    + " when they were created. Reset one with: telesignal user passwd <login>");
            return;
        }
        console.println("demo users created; these passwords are shown only once:");
        console.println(String.format("  %-12s %-12s %s", "LOGIN", "ROLE", "PASSWORD"));
        console.print(created);
        console.flush();
    }
}
