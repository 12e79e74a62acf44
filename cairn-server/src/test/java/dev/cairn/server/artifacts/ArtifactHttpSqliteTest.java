package dev.cairn.server.artifacts;

import dev.cairn.store.TestDatabases;

class ArtifactHttpSqliteTest extends ArtifactHttpContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.SQLITE;
    }
}
