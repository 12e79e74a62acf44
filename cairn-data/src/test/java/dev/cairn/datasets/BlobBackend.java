package dev.cairn.datasets;

import dev.cairn.artifacts.BlobStore;
import dev.cairn.artifacts.S3Settings;
import dev.cairn.artifacts.S3TestServer;
import dev.cairn.artifacts.StoredBlobs;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.stream.Stream;

/**
 * The blob stores every dataset-version test runs on: a local directory, and a bucket on a real S3
 * API server (S3Mock) on 127.0.0.1 started in the tests.
 */
enum BlobBackend {
    LOCAL {
        @Override
        Blobs open(Path work) {
            Path root = work.resolve("blobs");
            BlobStore store = BlobStore.local(root);
            return new Blobs() {
                @Override
                public BlobStore store() {
                    return store;
                }

                @Override
                public void corrupt(String sha256) {
                    StoredBlobs.flipMiddleBit(root, sha256);
                }

                @Override
                public List<Path> leftovers() {
                    List<Path> left = new ArrayList<>(regularFiles(root.resolve("tmp")));
                    for (Path file : regularFiles(root.resolve("packs"))) {
                        String name = file.getFileName().toString();
                        Path index = file.resolveSibling(name.replaceFirst("\\.pack$", ".idx"));
                        if (name.endsWith(".pack") && !Files.exists(index)) {
                            left.add(file);
                        }
                    }
                    return left;
                }

                @Override
                public String location() {
                    return root.toString();
                }

                @Override
                public Map<String, String> environment() {
                    return Map.of();
                }

                @Override
                public void close() {}
            };
        }
    },
    S3 {
        @Override
        Blobs open(Path work) {
            S3Settings settings = S3TestServer.get().freshSettings(work.resolve("spool"));
            BlobStore store = BlobStore.s3(settings);
            return new Blobs() {
                @Override
                public BlobStore store() {
                    return store;
                }

                @Override
                public void corrupt(String sha256) {
                    S3TestServer.get().flipMiddleBit(settings, sha256);
                }

                @Override
                public List<Path> leftovers() {
                    return regularFiles(settings.spoolDir());
                }

                @Override
                public String location() {
                    return "s3://" + settings.bucket() + "/" + settings.prefix();
                }

                @Override
                public Map<String, String> environment() {
                    return Map.of(
                            "CAIRN_S3_ENDPOINT_URL",
                            S3TestServer.get().endpoint().toString(),
                            "AWS_ACCESS_KEY_ID",
                            "test",
                            "AWS_SECRET_ACCESS_KEY",
                            "test");
                }

                @Override
                public void close() {
                    S3TestServer.close(store);
                }
            };
        }
    };

    /** A store of this backend that keeps its files under {@code work}. */
    abstract Blobs open(Path work);

    /** A blob store under test, and ways to look at and damage it behind its back. */
    interface Blobs extends AutoCloseable {
        BlobStore store();

        /** Flips one bit in the middle of a stored blob, loose or packed. */
        void corrupt(String sha256);

        /**
         * Temporary files the store keeps on the local disk right now, and packs no index names
         * (none between operations).
         */
        List<Path> leftovers();

        /** The location another process opens the same store with ({@code BlobStore.at}). */
        String location();

        /** The environment that {@code location} needs (the S3 endpoint and credentials). */
        Map<String, String> environment();

        @Override
        void close();
    }

    static List<Path> regularFiles(Path dir) {
        if (!Files.isDirectory(dir)) {
            return List.of();
        }
        try (Stream<Path> files = Files.walk(dir)) {
            return files.filter(Files::isRegularFile).toList();
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }
}
