package io.telesignal.store;

import java.sql.Connection;
import java.sql.DriverManager;

/** Run in a child JVM: opens an H2 file, says "open", and holds it until its standard input closes. */
public final class HoldH2Database {
    private HoldH2Database() {}

    public static void main(String[] args) throws Exception {
        try (Connection c = DriverManager.getConnection(args[0], "sa", "")) {
            System.out.println("open");
            System.out.flush();
            while (System.in.read() != -1) {
                // hold the file lock until the parent closes our stdin
            }
        }
    }
}
