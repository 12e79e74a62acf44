package dev.cairn.core;

import java.util.List;
import java.util.Optional;

/** One page of a listing, with the opaque token that fetches the next one when there is more. */
public record Page<T>(List<T> items, Optional<String> nextPageToken) {
    public Page {
        items = List.copyOf(items);
    }

    public static <T> Page<T> last(List<T> items) {
        return new Page<>(items, Optional.empty());
    }
}
