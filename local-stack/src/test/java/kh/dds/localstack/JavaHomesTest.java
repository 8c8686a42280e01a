package kh.dds.localstack;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class JavaHomesTest {

    private static Path jdk(Path dir, String release) throws Exception {
        Files.createDirectories(dir.resolve("bin"));
        Files.writeString(dir.resolve("release"), release);
        Path java = dir.resolve("bin").resolve("java");
        Files.writeString(java, "#!/bin/sh\n");
        Files.setPosixFilePermissions(java, PosixFilePermissions.fromString("rwxr-xr-x"));
        return dir;
    }

    @Test
    void aJdksVersionIsReadFromItsReleaseFile(@TempDir Path dir) throws Exception {
        assertEquals(Optional.of(25), JavaHomes.feature(jdk(dir.resolve("a"), "IMPLEMENTOR=\"Eclipse Adoptium\"\n"
                + "JAVA_VERSION=\"25.0.1\"\n")));
        assertEquals(Optional.of(17), JavaHomes.feature(jdk(dir.resolve("b"), "JAVA_VERSION=\"17.0.13\"\n")));
    }

    @Test
    void aFolderWithoutJavaOrReleaseIsNoJdk(@TempDir Path dir) throws Exception {
        assertTrue(JavaHomes.feature(dir).isEmpty());
        Files.writeString(dir.resolve("release"), "JAVA_VERSION=\"21\"\n");
        assertTrue(JavaHomes.feature(dir).isEmpty(), "no bin/java");
    }
}
