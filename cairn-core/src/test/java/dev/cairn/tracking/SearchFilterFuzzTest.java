package dev.cairn.tracking;

import com.code_intelligence.jazzer.api.FuzzedDataProvider;
import com.code_intelligence.jazzer.junit.FuzzTest;
import dev.cairn.core.CairnException;
import dev.cairn.store.Dialect;
import java.nio.charset.StandardCharsets;
import java.util.List;

/**
 * The search grammar faces every client: whatever the text, parsing and compiling it to SQL may
 * only fail with a {@link CairnException}. Without {@code JAZZER_FUZZ=1} this replays the corpus in
 * {@code SearchFilterFuzzTestInputs/} as a regression test.
 */
class SearchFilterFuzzTest {

    @FuzzTest(maxDuration = "2m")
    void parsingAnyTextFailsOnlyWithCairnException(FuzzedDataProvider data) {
        String text = new String(data.consumeRemainingAsBytes(), StandardCharsets.UTF_8);
        for (SearchFilter.Target target : SearchFilter.Target.values()) {
            try {
                List<SearchFilter.Comparison> filter = SearchFilter.parse(text, target);
                compile(target, filter, List.of());
            } catch (CairnException expected) {
                // a clear INVALID_PARAMETER_VALUE is the intended answer to bad input
            }
            try {
                compile(target, List.of(), List.of(SearchFilter.parseOrderBy(text, target)));
            } catch (CairnException expected) {
                // as above
            }
        }
    }

    private static void compile(
            SearchFilter.Target target, List<SearchFilter.Comparison> filter, List<SearchFilter.OrderBy> orderBy) {
        for (Dialect dialect : Dialect.values()) {
            if (target == SearchFilter.Target.RUNS) {
                RunSearchQuery.compile(dialect, List.of(0L), ViewType.ALL, filter, orderBy, 0, 10);
            } else {
                ExperimentSearchQuery.compile(dialect, ViewType.ALL, filter, orderBy, 0, 10);
            }
        }
    }
}
