package io.telesignal.server;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import java.util.jar.JarFile;

/**
 * A build step, not part of the server: filters the class list a training start wrote
 * ({@code -XX:DumpLoadedClassList}) before the class-data archive is made from it ({@code -Xshare:dump}). It leaves
 * out the classes the jar also holds under {@code META-INF/versions/N/} (Bouncy Castle's, a few others): OpenJDK 17
 * archives such a class but, when a class-file load hook is active (Java Flight Recorder, a Java agent), looks for
 * its bytes at the jar's plain path and crashes. Left out, they load from the jar as usual, and the archive is safe
 * with JFR and agents.
 *
 * <p>{@code java -cp telesignal.jar io.telesignal.server.ClassListFilter <jar> <class list in> <class list out>}
 */
public final class ClassListFilter {
    private ClassListFilter() {}

    public static void main(String[] args) throws IOException {
        if (args.length != 3) {
            System.err.println("usage: ClassListFilter <jar> <class list in> <class list out>");
            System.exit(2);
        }
        Set<String> versioned = new HashSet<>();
        try (JarFile jar = new JarFile(args[0])) {
            jar.stream().map(e -> e.getName())
                    .filter(n -> n.startsWith("META-INF/versions/") && n.endsWith(".class"))
                    .map(n -> n.substring(n.indexOf('/', "META-INF/versions/".length()) + 1, n.length() - ".class".length()))
                    .forEach(versioned::add);
        }
        List<String> lines = Files.readAllLines(Path.of(args[1]), StandardCharsets.UTF_8);
        List<String> kept = lines.stream().filter(line -> !versioned.contains(className(line))).toList();
        Files.write(Path.of(args[2]), kept, StandardCharsets.UTF_8);
        System.out.printf("class list: %d classes kept, %d left out (versioned in the jar)%n", kept.size(),
                lines.size() - kept.size());
    }

    /**
     * The class a class list line is about: {@code name/with/slashes [id: N ...]}, or the caller of an
     * {@code @lambda-proxy} line; null for comments and other directives.
     */
    private static String className(String line) {
        String[] fields = line.split(" ");
        if (line.startsWith("@lambda-proxy") && fields.length > 1) {
            return fields[1];
        }
        return line.startsWith("#") || line.startsWith("@") ? null : fields[0];
    }
}
