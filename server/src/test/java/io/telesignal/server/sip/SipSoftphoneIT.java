package io.telesignal.server.sip;

import static org.assertj.core.api.Assertions.assertThat;

import io.telesignal.server.testing.Cli;
import io.telesignal.server.testing.Ports;
import io.telesignal.server.testing.ServerProcess;
import io.telesignal.server.testing.Sipp;
import java.io.ByteArrayOutputStream;
import java.io.DataOutputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * A softphone nobody on the team wrote: Debian's baresip. Two of them register with their users' device passwords,
 * one calls the other through telesignal (challenged 407, answered automatically), and audio flows both ways for the
 * length of the call: each phone's RTCP summary counts the packets it sent and received. baresip 1.0 gives up on the
 * first challenge algorithm it does not know, so the server offers MD5 alone here (docs/sip.md).
 */
class SipSoftphoneIT {
    private static final Path BARESIP = Path.of("/usr/bin/baresip");
    private static final Pattern SUMMARY = Pattern.compile("EX=BareSip;.*?PR=(\\d+);PS=(\\d+);PL=(\\d+)");

    @TempDir
    Path dir;

    @Test
    void twoBaresipPhonesCallEachOtherWithAudioBothWays() throws Exception {
        Sipp.requireTool(BARESIP, "SipSoftphoneIT", "baresip-core");
        Cli.addUser(dir, "alice");
        Cli.addUser(dir, "bob");
        String alice = Cli.devicePassword(dir, "alice");
        String bob = Cli.devicePassword(dir, "bob");
        int port = Ports.free();
        Map<String, String> env = Sipp.serverEnv(port, Ports.free(), "MD5");
        try (ServerProcess server = ServerProcess.start(env, "serve", "--data-dir", dir.toString())) {
            server.awaitLine(line -> line.contains("event=server_started"), Duration.ofSeconds(60));
            Path a = phone("alice", alice, port, 440);
            Path b = phone("bob", bob, port, 880);
            Process callee = baresip(a, List.of("-t", "40"));
            try {
                awaitInFile(a.resolve("out.log"), "200 OK () [1 binding]", Duration.ofSeconds(20));
                Process caller = baresip(b, List.of("-t", "12", "-e", "/dial sip:alice@127.0.0.1:" + port));
                assertThat(caller.waitFor(40, TimeUnit.SECONDS)).isTrue();
                String calling = Files.readString(b.resolve("out.log"));
                awaitInFile(a.resolve("out.log"), "EX=BareSip", Duration.ofSeconds(20));
                String called = Files.readString(a.resolve("out.log"));
                assertThat(called).contains("Call established: sip:bob@127.0.0.1:" + port);
                assertThat(calling).contains("180 Ringing");
                // audio both ways: the callee's RTCP summary at the end of the call counts a steady stream of 20 ms
                // packets each way, none lost; the caller's status line showed 64 kbit/s (PCMU) in and out
                Matcher summary = SUMMARY.matcher(called);
                assertThat(summary.find()).as(called).isTrue();
                assertThat(Integer.parseInt(summary.group(1))).as("received").isGreaterThan(200);
                assertThat(Integer.parseInt(summary.group(2))).as("sent").isGreaterThan(200);
                assertThat(Integer.parseInt(summary.group(3))).as("lost").isZero();
                assertThat(calling).as(calling).contains("Call established: sip:alice@127.0.0.1:" + port);
                // its status line: bit/s received / sent, each about 64,000 (what is received is measured over the
                // arrival times, so a busy machine reads 63,573 or 64,426 as often as 64,000)
                Matcher rates = java.util.regex.Pattern.compile("audio=(\\d+)/(\\d+) \\(bit/s\\)").matcher(calling);
                boolean both = false;
                while (rates.find() && !both) {
                    both = Math.abs(Integer.parseInt(rates.group(1)) - 64_000) <= 3_200
                            && Math.abs(Integer.parseInt(rates.group(2)) - 64_000) <= 3_200;
                }
                assertThat(both).as("about 64 kbit/s each way: " + calling).isTrue();
            } finally {
                callee.destroy();
                callee.waitFor(10, TimeUnit.SECONDS);
            }
            assertThat(server.terminate(Duration.ofSeconds(30))).isZero();
        }
    }

    /** A baresip configuration: the account, auto-answer, PCMU, a tone as the microphone, nothing played. */
    private Path phone(String user, String password, int serverPort, int hertz) throws Exception {
        Path home = Files.createDirectories(dir.resolve("baresip-" + user));
        int sipPort = Ports.free();
        Files.writeString(home.resolve("config"), String.join("\n",
                "poll_method epoll",
                "sip_listen 127.0.0.1:" + sipPort,
                "audio_player aufile,/dev/null",
                "audio_source aufile," + tone(home, hertz),
                "audio_alert aufile,/dev/null",
                "module_path /usr/lib/baresip/modules",
                "module g711.so",
                "module aufile.so",
                "module uuid.so",
                "module_app account.so",
                "module_app menu.so",
                "module_app rtcpsummary.so", ""));
        Files.writeString(home.resolve("accounts"), "<sip:" + user + "@127.0.0.1:" + serverPort + ">;auth_pass="
                + password + ";answermode=auto;audio_codecs=pcmu;regint=600\n");
        return home;
    }

    private static Process baresip(Path home, List<String> options) throws Exception {
        List<String> command = new java.util.ArrayList<>(List.of(BARESIP.toString(), "-f", home.toString()));
        command.addAll(options);
        return new ProcessBuilder(command).redirectErrorStream(true).redirectOutput(home.resolve("out.log").toFile())
                .redirectInput(ProcessBuilder.Redirect.from(new java.io.File("/dev/null"))).start();
    }

    private static void awaitInFile(Path file, String text, Duration timeout) throws Exception {
        long until = System.nanoTime() + timeout.toNanos();
        while (System.nanoTime() < until) {
            if (Files.exists(file) && Files.readString(file).contains(text)) {
                return;
            }
            Thread.sleep(200);
        }
        throw new AssertionError("no '" + text + "' in " + file + ":\n" + (Files.exists(file) ? Files.readString(file) : ""));
    }

    /** 30 s of a sine tone, 8 kHz mono 16-bit PCM in a WAV file: the phone's microphone. */
    private static Path tone(Path home, int hertz) throws Exception {
        int rate = 8000;
        int samples = rate * 30;
        ByteArrayOutputStream bytes = new ByteArrayOutputStream();
        DataOutputStream out = new DataOutputStream(bytes);
        out.writeBytes("RIFF");
        out.writeInt(Integer.reverseBytes(36 + samples * 2));
        out.writeBytes("WAVEfmt ");
        out.writeInt(Integer.reverseBytes(16));
        out.writeShort(Short.reverseBytes((short) 1));
        out.writeShort(Short.reverseBytes((short) 1));
        out.writeInt(Integer.reverseBytes(rate));
        out.writeInt(Integer.reverseBytes(rate * 2));
        out.writeShort(Short.reverseBytes((short) 2));
        out.writeShort(Short.reverseBytes((short) 16));
        out.writeBytes("data");
        out.writeInt(Integer.reverseBytes(samples * 2));
        for (int i = 0; i < samples; i++) {
            out.writeShort(Short.reverseBytes((short) (8000 * Math.sin(2 * Math.PI * hertz * i / rate))));
        }
        Path file = home.resolve("tone.wav");
        Files.write(file, bytes.toByteArray());
        return file;
    }
}
