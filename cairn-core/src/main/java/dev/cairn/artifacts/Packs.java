package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The pack indexes of one store, loaded on first use and looked up newest first. Another process
 * may add packs at any time, so a lookup that misses can {@link #refresh} the list; a damaged or
 * unreadable index is skipped (its blobs read as missing, never as wrong content): a damaged one for
 * good, one that could not be read until the next refresh.
 */
final class Packs {
    /** Where a store keeps its indexes: the local directory or the bucket. */
    interface Source {
        /** The names of the packs that have an index. */
        List<String> indexedPacks() throws IOException;

        /** The bytes of a pack's index file. */
        byte[] readIndex(String pack) throws IOException;

        /** Where a pack's index file lies (a path or a key), for messages. */
        String indexLocation(String pack);
    }

    private static final Logger LOG = LoggerFactory.getLogger(Packs.class);

    private final Source source;
    private final Set<String> seen = new HashSet<>();
    private volatile List<PackIndex> loaded = List.of();
    private volatile boolean listed;

    Packs(Source source) {
        this.source = source;
    }

    /** Where the blob lies among the packs known so far (listing them on first use). */
    Optional<PackIndex.Location> find(String sha256) {
        if (!listed) {
            refresh();
        }
        byte[] digest = PackIndex.digestBytes(sha256);
        List<PackIndex> packs = loaded;
        for (int i = packs.size() - 1; i >= 0; i--) {
            Optional<PackIndex.Location> found = packs.get(i).find(digest);
            if (found.isPresent()) {
                return found;
            }
        }
        return Optional.empty();
    }

    /** Like {@link #find}, but looks for packs written since the last listing before giving up. */
    Optional<PackIndex.Location> findLatest(String sha256) {
        Optional<PackIndex.Location> found = find(sha256);
        if (found.isPresent()) {
            return found;
        }
        refresh();
        return find(sha256);
    }

    /** Loads the indexes of packs written since the last listing. */
    synchronized void refresh() {
        List<String> names;
        try {
            names = source.indexedPacks();
        } catch (IOException e) {
            throw new CairnException(ErrorCode.INTERNAL_ERROR, "could not list the blob packs: " + e.getMessage(), e);
        }
        List<PackIndex> grown = new ArrayList<>(loaded);
        for (String name : names) {
            if (seen.contains(name)) {
                continue;
            }
            byte[] bytes;
            try {
                bytes = source.readIndex(name);
            } catch (IOException e) {
                // Maybe transient (a 5xx, too many open files): the next refresh reads it again.
                LOG.debug("could not read pack index {}, will retry: {}", source.indexLocation(name), e.getMessage());
                continue;
            }
            try {
                grown.add(PackIndex.decode(name, bytes));
            } catch (IOException e) {
                // A damaged index stays damaged: it only hides its blobs, which read as missing.
                LOG.warn("skipping pack index {}: {}", source.indexLocation(name), e.getMessage());
            }
            seen.add(name);
        }
        loaded = List.copyOf(grown);
        listed = true;
    }

    /** Makes a pack this process just wrote visible without listing again. */
    synchronized void add(PackIndex index) {
        if (seen.add(index.pack())) {
            List<PackIndex> grown = new ArrayList<>(loaded);
            grown.add(index);
            loaded = List.copyOf(grown);
        }
    }
}
