package kh.dds.localstack;

import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardOpenOption;
import java.nio.file.attribute.PosixFilePermissions;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.Map;

/**
 * Gives the local run's database the services' login roles, schemas and grants ({@link DatabaseRoles}), with a
 * password per role generated once and kept in {@code <dir>/<role>.password} (mode 600), which {@code bin/dds-up}
 * hands to each service as {@code QUARKUS_DATASOURCE_PASSWORD}. Nothing secret is printed.
 *
 * <pre>
 * java -cp ... kh.dds.localstack.EnsureRoles --host 127.0.0.1 --port 5432 --user postgres --db dds \
 *     --password-dir .local/db
 * </pre>
 * The superuser's password, if any, comes from the environment variable {@code DDS_PG_PASSWORD}.
 */
public final class EnsureRoles {

    private static final String USAGE = "usage: EnsureRoles [--host 127.0.0.1] [--port 5432] [--user postgres] "
            + "--db NAME --password-dir DIR";
    private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

    private EnsureRoles() {
    }

    public static void main(String[] args) {
        Options.run("EnsureRoles", () -> {
            Options options = Options.parse(args, USAGE);
            PostgresEndpoint superuser = new PostgresEndpoint(options.optional("host", "127.0.0.1"),
                    options.port("port", 5432), options.optional("user", "postgres"),
                    Settings.system().get("DDS_PG_PASSWORD", ""), false);
            String database = options.required("db");
            Path dir = Path.of(options.required("password-dir"));
            Map<ServiceRole, String> passwords = new EnumMap<>(ServiceRole.class);
            for (ServiceRole role : ServiceRole.values()) {
                passwords.put(role, password(dir, role));
            }
            superuser.ensureDatabase(database);
            DatabaseRoles.ensure(superuser, database, passwords);
            System.out.println("roles " + String.join(", ", passwords.keySet().stream().map(ServiceRole::roleName)
                    .toList()) + " in " + database + ": ready (passwords in " + dir + ")");
        });
    }

    /** The role's password from its file, written first (mode 600) if there is none. */
    static String password(Path dir, ServiceRole role) throws IOException {
        Path file = dir.resolve(role.roleName() + ".password");
        if (Files.exists(file)) {
            String kept = Files.readString(file, StandardCharsets.US_ASCII).trim();
            if (!kept.isEmpty()) {
                return kept;
            }
        }
        Files.createDirectories(dir);
        SecureRandom random = new SecureRandom();
        StringBuilder password = new StringBuilder(32);
        for (int i = 0; i < 32; i++) {
            password.append(ALPHABET.charAt(random.nextInt(ALPHABET.length())));
        }
        Path partial = dir.resolve("." + role.roleName() + ".password.partial");
        Files.deleteIfExists(partial);
        Files.createFile(partial, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
        Files.writeString(partial, password + "\n", StandardCharsets.US_ASCII, StandardOpenOption.TRUNCATE_EXISTING);
        Files.move(partial, file, java.nio.file.StandardCopyOption.ATOMIC_MOVE,
                java.nio.file.StandardCopyOption.REPLACE_EXISTING);
        return password.toString();
    }
}
