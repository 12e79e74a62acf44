package dev.cairn.artifacts;

import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;

class SqliteArtifactRepositoryTest extends ArtifactRepositoryContract {
    @Override
    Database openDatabase() {
        return TestDatabases.sqlite(blobsDir.resolve("db"));
    }
}
