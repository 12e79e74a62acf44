package dev.cairn.store;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;

class StoreUrlTest {

    @Test
    void sqliteWithThreeSlashesIsAnAbsolutePath() {
        StoreUrl url = StoreUrl.parse("sqlite:///var/lib/cairn/cairn.db");
        assertThat(url.dialect()).isEqualTo(Dialect.SQLITE);
        assertThat(url.sqliteFile()).contains(Path.of("/var/lib/cairn/cairn.db"));
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:sqlite:/var/lib/cairn/cairn.db");
    }

    @Test
    void sqliteWithoutSlashesIsRelativeToTheWorkingDirectory() {
        StoreUrl url = StoreUrl.parse("sqlite:data/cairn.db");
        assertThat(url.sqliteFile()).contains(Path.of("data/cairn.db").toAbsolutePath());
    }

    @Test
    void sqlalchemyStyleFourSlashesIsAbsoluteToo() {
        assertThat(StoreUrl.parse("sqlite:////tmp/x.db").sqliteFile()).contains(Path.of("/tmp/x.db"));
    }

    @Test
    void postgresqlUserInfoBecomesCredentials() {
        StoreUrl url = StoreUrl.parse("postgresql://cairn:s%40cret@db.example:5433/tracking?sslmode=require");
        assertThat(url.dialect()).isEqualTo(Dialect.POSTGRESQL);
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://db.example:5433/tracking?sslmode=require");
        assertThat(url.user()).contains("cairn");
        assertThat(url.password()).contains("s@cret");
        assertThat(url.toString()).doesNotContain("s@cret");
    }

    @Test
    void jdbcPostgresqlIsPassedThrough() {
        StoreUrl url = StoreUrl.parse("jdbc:postgresql://localhost/db?user=u&password=p");
        assertThat(url.jdbcUrl()).isEqualTo("jdbc:postgresql://localhost/db?user=u&password=p");
        assertThat(url.user()).isEqualTo(Optional.empty());
        assertThat(url.toString()).doesNotContain("password=p");
    }

    @Test
    void unknownSchemesAndMissingPartsAreRejectedWithTheUrl() {
        assertThatThrownBy(() -> StoreUrl.parse("mysql://x/y"))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining("mysql://x/y");
        assertThatThrownBy(() -> StoreUrl.parse("postgresql://host"))
                .hasMessageContaining("names no PostgreSQL database");
        assertThatThrownBy(() -> StoreUrl.parse("sqlite:")).hasMessageContaining("names no SQLite file");
        assertThatThrownBy(() -> StoreUrl.parse("sqlite://host/x.db")).isInstanceOf(CairnException.class);
    }
}
