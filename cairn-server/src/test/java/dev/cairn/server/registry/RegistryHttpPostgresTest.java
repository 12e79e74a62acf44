package dev.cairn.server.registry;

import dev.cairn.store.TestDatabases;

class RegistryHttpPostgresTest extends RegistryHttpContract {
    @Override
    TestDatabases.Kind kind() {
        return TestDatabases.Kind.POSTGRESQL;
    }
}
