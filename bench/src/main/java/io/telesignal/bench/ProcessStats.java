package io.telesignal.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;

/** CPU time and peak memory of a process, read from Linux's /proc; zero where /proc is not there. */
public final class ProcessStats {
    private static final long CLOCK_TICKS_PER_SECOND = 100; // USER_HZ on Linux

    private ProcessStats() {}

    /** CPU time a process has used, in user space and in the kernel (for the bench, mostly TCP over loopback). */
    public record Cpu(Duration user, Duration kernel) {
        static final Cpu NONE = new Cpu(Duration.ZERO, Duration.ZERO);

        public Duration total() {
            return user.plus(kernel);
        }

        public Cpu minus(Cpu earlier) {
            return new Cpu(user.minus(earlier.user), kernel.minus(earlier.kernel));
        }

        Cpu plus(Cpu other) {
            return new Cpu(user.plus(other.user), kernel.plus(other.kernel));
        }
    }

    public static Cpu cpu(long pid) {
        try {
            String stat = Files.readString(Path.of("/proc", Long.toString(pid), "stat"));
            // the command name may hold spaces: fields are counted after its closing parenthesis
            String[] fields = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
            return new Cpu(ticks(fields[11]), ticks(fields[12])); // utime, stime
        } catch (IOException | RuntimeException e) {
            return Cpu.NONE;
        }
    }

    private static Duration ticks(String field) {
        return Duration.ofMillis(Long.parseLong(field) * 1000 / CLOCK_TICKS_PER_SECOND);
    }

    static long peakRss(long pid) {
        return status(pid, "VmHWM:");
    }

    /** Resident set size now. */
    public static long rss(long pid) {
        return status(pid, "VmRSS:");
    }

    private static long status(long pid, String field) {
        try {
            for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
                if (line.startsWith(field)) {
                    return Long.parseLong(line.replaceAll("[^0-9]", "")) * 1024;
                }
            }
        } catch (IOException | RuntimeException e) {
            return 0;
        }
        return 0;
    }
}
