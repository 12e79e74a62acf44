package dev.cairn.drift;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

/** Bad input gives the documented result, never an exception. */
class BadInputTest {
    private static final List<DriftColumn> COLUMNS = List.of(DriftColumn.numeric("x"), DriftColumn.categorical("c"));

    private static ReferenceProfile reference(int rows) {
        Window w = Window.forReference(COLUMNS);
        for (int i = 0; i < rows; i++) {
            w.acceptRow(i % 17 * 1.5, "k" + i % 3);
        }
        return ReferenceProfile.of(w);
    }

    @Test
    void emptyCurrentWindowReportsEveryColumnEmptyWithoutDrift() {
        ReferenceProfile profile = reference(200);
        DriftReport report = DriftAnalysis.compare(profile, profile.newWindow(), DriftOptions.defaults());
        assertThat(report.columns()).hasSize(2).allSatisfy(c -> {
            assertThat(c.status()).isEqualTo(ColumnStatus.EMPTY_CURRENT);
            assertThat(c.score()).isNaN();
            assertThat(c.drifted()).isFalse();
        });
        assertThat(report.column("x").orElseThrow().test()).isEqualTo(DriftTest.KS);
        assertThat(report.column("c").orElseThrow().test()).isEqualTo(DriftTest.CHI_SQUARE);
        assertThat(report.testedColumns()).isZero();
        assertThat(report.driftShare()).isZero();
        assertThat(report.datasetDrift()).isFalse();
    }

    @Test
    void emptyReferenceIsReportedAsSuch() {
        ReferenceProfile profile = reference(0);
        Window current = profile.newWindow();
        current.acceptRow(1.0, "a");
        DriftReport report = DriftAnalysis.compare(profile, current, DriftOptions.defaults());
        assertThat(report.columns()).allSatisfy(c -> assertThat(c.status()).isEqualTo(ColumnStatus.EMPTY_REFERENCE));
    }

    @Test
    void allNullColumnCountsNullsAndIsEmpty() {
        ReferenceProfile profile = reference(100);
        Window current = profile.newWindow();
        for (int i = 0; i < 50; i++) {
            current.acceptRow(null, null);
        }
        DriftReport report = DriftAnalysis.compare(profile, current, DriftOptions.defaults());
        ColumnDrift x = report.column("x").orElseThrow();
        assertThat(x.status()).isEqualTo(ColumnStatus.EMPTY_CURRENT);
        assertThat(x.current().nulls()).isEqualTo(50);
        assertThat(report.column("c").orElseThrow().current().nulls()).isEqualTo(50);
    }

    @Test
    void nanAndInfinitiesAreCountedAndExcluded() {
        ReferenceProfile profile = reference(100);
        Window current = profile.newWindow();
        for (int i = 0; i < 100; i++) {
            current.acceptRow(i % 17 * 1.5, "k" + i % 3);
        }
        current.acceptNumber(0, Double.NaN);
        current.acceptNumber(0, Double.POSITIVE_INFINITY);
        current.acceptNumber(0, Double.POSITIVE_INFINITY);
        current.acceptNumber(0, Double.NEGATIVE_INFINITY);
        ColumnDrift x = DriftAnalysis.compare(profile, current, DriftOptions.defaults())
                .column("x")
                .orElseThrow();
        assertThat(x.current()).isEqualTo(new ValueCounts(100, 0, 1, 2, 1));
        assertThat(x.status()).isEqualTo(ColumnStatus.TESTED);
        assertThat(x.score()).isEqualTo(1.0);
        assertThat(x.drifted()).isFalse();
    }

    @Test
    void constantColumnsOnBothSidesDoNotDrift() {
        for (int rows : new int[] {50, 5000}) {
            Window w = Window.forReference(COLUMNS);
            for (int i = 0; i < rows; i++) {
                w.acceptRow(4.0, "same");
            }
            ReferenceProfile profile = ReferenceProfile.of(w);
            Window current = profile.newWindow();
            for (int i = 0; i < rows / 2; i++) {
                current.acceptRow(4.0, "same");
            }
            DriftReport report = DriftAnalysis.compare(profile, current, DriftOptions.defaults());
            assertThat(report.columns()).allSatisfy(c -> {
                assertThat(c.status()).isEqualTo(ColumnStatus.TESTED);
                assertThat(c.drifted()).as(c.toString()).isFalse();
            });
        }
    }

    @Test
    void constantReferenceAgainstAMovedConstantDrifts() {
        Window w = Window.forReference(COLUMNS);
        for (int i = 0; i < 3000; i++) {
            w.acceptRow(4.0, "same");
        }
        ReferenceProfile profile = ReferenceProfile.of(w);
        Window current = profile.newWindow();
        for (int i = 0; i < 3000; i++) {
            current.acceptRow(9.0, "other");
        }
        DriftReport report = DriftAnalysis.compare(profile, current, DriftOptions.defaults());
        assertThat(report.columns()).allSatisfy(c -> assertThat(c.drifted()).isTrue());
        assertThat(report.datasetDrift()).isTrue();
        assertThat(report.column("c").orElseThrow().unseenExamples()).containsExactly("other");
    }

    @Test
    void mismatchedSchemasAreReportedNotThrown() {
        ReferenceProfile profile = reference(100);
        Window current = profile.newWindow(List.of(DriftColumn.categorical("x"), DriftColumn.numeric("extra")));
        current.acceptRow("1.5", 3.0);
        DriftReport report = DriftAnalysis.compare(profile, current, DriftOptions.defaults());
        assertThat(report.columns()).isEmpty();
        assertThat(report.schemaIssues())
                .extracting(SchemaIssue::column, SchemaIssue::status)
                .containsExactlyInAnyOrder(
                        org.assertj.core.groups.Tuple.tuple("x", ColumnStatus.KIND_MISMATCH),
                        org.assertj.core.groups.Tuple.tuple("c", ColumnStatus.MISSING_IN_CURRENT),
                        org.assertj.core.groups.Tuple.tuple("extra", ColumnStatus.MISSING_IN_REFERENCE));
        assertThat(report.datasetDrift()).isFalse();
    }

    @Test
    void textInANumericColumnCountsAsMissing() {
        ReferenceProfile profile = reference(100);
        Window current = profile.newWindow();
        current.acceptRow("not a number", "k1");
        current.acceptRow("2.5", "k1");
        assertThat(current.counts("x").orElseThrow()).isEqualTo(new ValueCounts(1, 1, 0, 0, 0));
    }
}
