package dev.cairn.artifacts;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.core.Page;
import dev.cairn.store.Database;
import java.io.ByteArrayInputStream;
import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The artifact tree on one database backend; subclasses pick the backend. */
abstract class ArtifactRepositoryContract {
    static final ArtifactRoot RUN = ArtifactRoot.ofRun("1", "0123456789abcdef0123456789abcdef");
    static final ArtifactRoot OTHER_RUN = ArtifactRoot.ofRun("1", "fedcba9876543210fedcba9876543210");

    @TempDir
    Path blobsDir;

    Database database;
    ArtifactRepository artifacts;

    abstract Database openDatabase();

    @BeforeEach
    void open() {
        database = openDatabase();
        artifacts = ArtifactRepository.over(database, BlobStore.local(blobsDir));
    }

    @AfterEach
    void close() {
        database.close();
    }

    @Test
    void aPutFileCanBeReadBackAndListedWithItsSize() throws IOException {
        ArtifactFile stored = artifacts.put(RUN, path("model/weights.bin"), content("0123456789"));

        assertThat(stored.blob().size()).isEqualTo(10);
        assertThat(read(RUN, "model/weights.bin")).isEqualTo("0123456789");
        assertThat(artifacts.list(RUN, ArtifactPath.ROOT)).containsExactly(FileInfo.directory("model"));
        assertThat(artifacts.list(RUN, path("model"))).containsExactly(FileInfo.file("model/weights.bin", 10));
        assertThat(artifacts.isDirectory(RUN, path("model"))).isTrue();
        assertThat(artifacts.file(RUN, path("model/weights.bin")))
                .map(ArtifactFile::blob)
                .contains(stored.blob());
    }

    @Test
    void listingShowsOnlyDirectChildrenSorted() {
        artifacts.put(RUN, path("b.txt"), content("b"));
        artifacts.put(RUN, path("a/x.txt"), content("x"));
        artifacts.put(RUN, path("a/deep/er/y.txt"), content("yy"));
        artifacts.put(RUN, path("c/z.txt"), content("z"));

        assertThat(artifacts.list(RUN, ArtifactPath.ROOT))
                .containsExactly(FileInfo.directory("a"), FileInfo.file("b.txt", 1), FileInfo.directory("c"));
        assertThat(artifacts.list(RUN, path("a")))
                .containsExactly(FileInfo.directory("a/deep"), FileInfo.file("a/x.txt", 1));
        assertThat(artifacts.list(RUN, path("a/deep/er"))).containsExactly(FileInfo.file("a/deep/er/y.txt", 2));
        assertThat(artifacts.list(RUN, path("missing"))).isEmpty();
        assertThat(artifacts.list(RUN, path("b.txt")))
                .as("a file lists as nothing")
                .isEmpty();
    }

    @Test
    void treesOfDifferentRootsAreSeparate() {
        artifacts.put(RUN, path("f.txt"), content("mine"));
        assertThat(artifacts.list(OTHER_RUN, ArtifactPath.ROOT)).isEmpty();
        assertThat(artifacts.file(OTHER_RUN, path("f.txt"))).isEmpty();
        assertThatThrownBy(() -> artifacts.open(OTHER_RUN, path("f.txt")))
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void puttingAgainReplacesTheFileAndSharesEqualContent() throws IOException {
        artifacts.put(RUN, path("f.txt"), content("one"));
        artifacts.put(RUN, path("f.txt"), content("two!"));
        ArtifactFile copy = artifacts.put(OTHER_RUN, path("g.txt"), content("two!"));

        assertThat(read(RUN, "f.txt")).isEqualTo("two!");
        assertThat(artifacts.list(RUN, ArtifactPath.ROOT)).containsExactly(FileInfo.file("f.txt", 4));
        assertThat(artifacts.file(RUN, path("f.txt")).orElseThrow().blob()).isEqualTo(copy.blob());
    }

    @Test
    void aFileCannotShadowADirectoryNorSitBelowAFile() {
        artifacts.put(RUN, path("dir/f.txt"), content("x"));
        artifacts.put(RUN, path("file"), content("x"));

        assertThatThrownBy(() -> artifacts.put(RUN, path("dir"), content("y")))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("directory");
        assertThatThrownBy(() -> artifacts.put(RUN, path("file/below.txt"), content("y")))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("'file' is a file");
        assertThatThrownBy(() -> artifacts.put(RUN, ArtifactPath.ROOT, content("y")))
                .isInstanceOf(CairnException.class);
    }

    @Test
    void deletingADirectoryRemovesItsSubtreeAndOnlyIt() {
        artifacts.put(RUN, path("keep/a.txt"), content("a"));
        artifacts.put(RUN, path("gone/b.txt"), content("b"));
        artifacts.put(RUN, path("gone/sub/c.txt"), content("c"));
        artifacts.put(RUN, path("gone2/d.txt"), content("d"));
        artifacts.put(OTHER_RUN, path("gone/e.txt"), content("e"));

        assertThat(artifacts.delete(RUN, path("gone"))).isEqualTo(2);

        assertThat(artifacts.list(RUN, ArtifactPath.ROOT))
                .containsExactly(FileInfo.directory("gone2"), FileInfo.directory("keep"));
        assertThat(artifacts.list(OTHER_RUN, ArtifactPath.ROOT)).containsExactly(FileInfo.directory("gone"));
        assertThat(artifacts.walk(RUN, ArtifactPath.ROOT))
                .extracting(f -> f.path().value())
                .containsExactly("gone2/d.txt", "keep/a.txt");
    }

    @Test
    void deletingTheLastFileOfADirectoryRemovesTheEmptyDirectories() {
        artifacts.put(RUN, path("a/b/c/only.txt"), content("x"));
        artifacts.put(RUN, path("a/sibling.txt"), content("y"));

        assertThat(artifacts.delete(RUN, path("a/b/c/only.txt"))).isEqualTo(1);

        assertThat(artifacts.list(RUN, path("a"))).containsExactly(FileInfo.file("a/sibling.txt", 1));
        assertThat(artifacts.isDirectory(RUN, path("a/b"))).isFalse();
        assertThat(artifacts.delete(RUN, path("never/there"))).isZero();
    }

    @Test
    void namesWithLikeWildcardsAreMatchedLiterally() {
        artifacts.put(RUN, path("a_b/x.txt"), content("x"));
        artifacts.put(RUN, path("a%b/y.txt"), content("y"));
        artifacts.put(RUN, path("aXb/z.txt"), content("z"));

        artifacts.delete(RUN, path("a_b"));

        assertThat(artifacts.list(RUN, ArtifactPath.ROOT))
                .containsExactly(FileInfo.directory("a%b"), FileInfo.directory("aXb"));
    }

    @Test
    void listingPagesThroughLargeDirectories() {
        for (int i = 0; i < 25; i++) {
            artifacts.put(RUN, path(String.format("many/f%02d.txt", i)), content("x"));
        }
        Page<FileInfo> first = artifacts.list(RUN, path("many"), 10, Optional.empty());
        Page<FileInfo> second = artifacts.list(RUN, path("many"), 10, first.nextPageToken());
        Page<FileInfo> third = artifacts.list(RUN, path("many"), 10, second.nextPageToken());

        assertThat(first.items()).first().isEqualTo(FileInfo.file("many/f00.txt", 1));
        assertThat(second.items()).first().isEqualTo(FileInfo.file("many/f10.txt", 1));
        assertThat(third.items()).hasSize(5);
        assertThat(third.nextPageToken()).isEmpty();
        assertThatThrownBy(() -> artifacts.list(RUN, path("many"), 10, Optional.of("garbage!")))
                .isInstanceOf(CairnException.class);
    }

    @Test
    void aFailedUploadRecordsNothing() {
        InputStream failing = new InputStream() {
            int left = 10;

            @Override
            public int read() throws IOException {
                if (left-- <= 0) {
                    throw new IOException("client went away");
                }
                return 'x';
            }
        };
        assertThatThrownBy(() -> artifacts.put(RUN, path("half.bin"), failing)).isInstanceOf(CairnException.class);
        assertThat(artifacts.list(RUN, ArtifactPath.ROOT)).isEmpty();
    }

    @Test
    void downloadWritesADirectoryTreeOrASingleFile() throws IOException {
        artifacts.put(RUN, path("model/MLmodel"), content("flavors"));
        artifacts.put(RUN, path("model/data/w.bin"), content("weights"));
        artifacts.put(RUN, path("other.txt"), content("other"));
        Path out = blobsDir.resolve("out");

        assertThat(artifacts.download(RUN, path("model"), out)).isEqualTo(2);
        assertThat(out.resolve("MLmodel")).hasContent("flavors");
        assertThat(out.resolve("data/w.bin")).hasContent("weights");
        assertThat(out.resolve("other.txt")).doesNotExist();

        assertThat(artifacts.download(RUN, path("model/data/w.bin"), blobsDir.resolve("one")))
                .isEqualTo(1);
        assertThat(blobsDir.resolve("one/w.bin")).hasContent("weights");
        assertThatThrownBy(() -> artifacts.download(RUN, path("nothing"), out))
                .satisfies(e -> assertThat(((CairnException) e).code()).isEqualTo(ErrorCode.RESOURCE_DOES_NOT_EXIST));
    }

    @Test
    void downloadNeverFollowsALinkOutOfItsTarget() throws IOException {
        artifacts.put(RUN, path("model/data/w.bin"), content("weights"));
        Path out = blobsDir.resolve("out");
        Path elsewhere = blobsDir.resolve("elsewhere");
        java.nio.file.Files.createDirectories(out);
        java.nio.file.Files.createDirectories(elsewhere);
        java.nio.file.Files.createSymbolicLink(out.resolve("data"), elsewhere);

        assertThatThrownBy(() -> artifacts.download(RUN, path("model"), out))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("link");
        assertThat(elsewhere.resolve("w.bin")).doesNotExist();
    }

    private String read(ArtifactRoot root, String p) throws IOException {
        try (InputStream in = artifacts.open(root, path(p))) {
            return new String(in.readAllBytes(), StandardCharsets.UTF_8);
        }
    }

    static ArtifactPath path(String p) {
        return ArtifactPath.of(p);
    }

    static InputStream content(String s) {
        return new ByteArrayInputStream(s.getBytes(StandardCharsets.UTF_8));
    }
}
