package dev.cairn.tracking;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.cairn.core.CairnException;
import dev.cairn.tracking.SearchFilter.Comparison;
import dev.cairn.tracking.SearchFilter.Entity;
import dev.cairn.tracking.SearchFilter.Op;
import dev.cairn.tracking.SearchFilter.OrderBy;
import dev.cairn.tracking.SearchFilter.Target;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.ValueSource;

class SearchFilterTest {

    @Test
    void parsesComparisonsJoinedByAnd() {
        assertThat(SearchFilter.parse("metrics.acc > 0.9 and params.lr = '0.1' AND tags.t != \"x\"", Target.RUNS))
                .containsExactly(
                        new Comparison(Entity.METRIC, "acc", Op.GT, "0.9", 0.9, List.of()),
                        new Comparison(Entity.PARAM, "lr", Op.EQ, "0.1", 0, List.of()),
                        new Comparison(Entity.TAG, "t", Op.NE, "x", 0, List.of()));
    }

    @Test
    void acceptsMlflowAliasesQuotedKeysAndSignedNumbers() {
        assertThat(SearchFilter.parse("metric.`my key` >= -1.5e-3", Target.RUNS))
                .containsExactly(new Comparison(Entity.METRIC, "my key", Op.GE, "-1.5e-3", -1.5e-3, List.of()));
        assertThat(SearchFilter.parse("parameter.\"a.b c\" ILIKE '%X%'", Target.RUNS))
                .containsExactly(new Comparison(Entity.PARAM, "a.b c", Op.ILIKE, "%X%", 0, List.of()));
        assertThat(SearchFilter.parse("attr.created > 5", Target.RUNS).get(0).key())
                .isEqualTo("start_time");
        assertThat(SearchFilter.parse("`Run Name` = 'x'", Target.RUNS).get(0).key())
                .isEqualTo("run_name");
        assertThat(SearchFilter.parse("run.status NOT IN ('FAILED', 'KILLED')", Target.RUNS))
                .containsExactly(
                        new Comparison(Entity.ATTRIBUTE, "status", Op.NOT_IN, "", 0, List.of("FAILED", "KILLED")));
        assertThat(SearchFilter.parse("tags.t = 'it''s'", Target.RUNS).get(0).text())
                .isEqualTo("it's");
        assertThat(SearchFilter.parse("   ", Target.RUNS)).isEmpty();
    }

    @Test
    void parsesOrderBy() {
        assertThat(SearchFilter.parseOrderBy("metrics.acc DESC", Target.RUNS))
                .isEqualTo(new OrderBy(Entity.METRIC, "acc", false));
        assertThat(SearchFilter.parseOrderBy("params.`p q` asc", Target.RUNS))
                .isEqualTo(new OrderBy(Entity.PARAM, "p q", true));
        assertThat(SearchFilter.parseOrderBy("start_time", Target.RUNS))
                .isEqualTo(new OrderBy(Entity.ATTRIBUTE, "start_time", true));
        assertThat(SearchFilter.parseOrderBy("last_update_time DESC", Target.EXPERIMENTS))
                .isEqualTo(new OrderBy(Entity.ATTRIBUTE, "last_update_time", false));
    }

    @ParameterizedTest
    @ValueSource(
            strings = {
                "metrics.acc > 'x'|'x'",
                "params.p > '1'|>",
                "params.p = 1|'1'",
                "bogus.k = '1'|bogus",
                "attributes.color = 'red'|color",
                "metrics.a = 1 or metrics.b = 2|or",
                "metrics.a = 1 and|ends after AND",
                "tags.t IN ('a'|ends unexpectedly",
                "tags.t IN 'a'|'a'",
                "metrics.a ~ 1|~",
                "metrics.a ! 1|!",
                "datasets.size = '1'|size",
                "start_time > '5'|'5'",
                "status > 'RUNNING'|>",
                "params.p = 'open|unterminated",
            })
    void rejectsBadFiltersNamingTheOffendingToken(String caseAndToken) {
        String[] parts = caseAndToken.split("\\|");
        assertThatThrownBy(() -> SearchFilter.parse(parts[0], Target.RUNS))
                .isInstanceOf(CairnException.class)
                .hasMessageContaining(parts[1]);
    }

    @Test
    void experimentSearchKnowsOnlyItsOwnIdentifiers() {
        assertThat(SearchFilter.parse("name LIKE 'a%' and tags.x = 'y' and creation_time > 0", Target.EXPERIMENTS))
                .hasSize(3);
        assertThatThrownBy(() -> SearchFilter.parse("params.x = 'y'", Target.EXPERIMENTS))
                .hasMessageContaining("params");
        assertThatThrownBy(() -> SearchFilter.parseOrderBy("run_name", Target.EXPERIMENTS))
                .hasMessageContaining("run_name");
    }
}
