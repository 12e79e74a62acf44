package dev.cairn.datasets;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.SerializationFeature;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.util.Collections;
import java.util.Map;
import java.util.SortedMap;
import java.util.TreeMap;

/**
 * The table summaries of a version's tabular files, by path. Stored as a blob beside the manifest
 * rather than in it: profiles hold floating-point aggregates whose last digits may vary between
 * engines, and the version id must depend on the files' content alone.
 */
public record TableSummaries(String format, SortedMap<String, TableSummary> tables) {
    /** The version of the JSON layout. */
    public static final String FORMAT = "cairn-tables/1";

    static final ObjectMapper JSON = new ObjectMapper().enable(SerializationFeature.ORDER_MAP_ENTRIES_BY_KEYS);

    public TableSummaries {
        tables = Collections.unmodifiableSortedMap(new TreeMap<>(tables));
    }

    public static TableSummaries of(Map<String, TableSummary> tables) {
        return new TableSummaries(FORMAT, new TreeMap<>(tables));
    }

    byte[] toJson() {
        try {
            return JSON.writeValueAsBytes(this);
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "cannot encode table summaries", e);
        }
    }

    static TableSummaries fromJson(byte[] json) {
        try {
            TableSummaries summaries = JSON.readValue(json, TableSummaries.class);
            CairnException.requireArgument(
                    FORMAT.equals(summaries.format()),
                    "table summaries format must be " + FORMAT + "; got '" + summaries.format() + "'");
            return summaries;
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "stored table summaries are not readable", e);
        }
    }
}
