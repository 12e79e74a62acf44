package dev.cairn.artifacts;

import dev.cairn.store.Database;
import dev.cairn.store.TestDatabases;

class PostgresArtifactRepositoryTest extends ArtifactRepositoryContract {
    @Override
    Database openDatabase() {
        return TestDatabases.postgresql();
    }
}
