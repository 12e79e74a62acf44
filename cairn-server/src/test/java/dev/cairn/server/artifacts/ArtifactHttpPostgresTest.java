package dev.cairn.server.artifacts;

import dev.cairn.store.TestDatabases;

class ArtifactHttpPostgresTest extends ArtifactHttpContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
