package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import java.io.IOException;

/**
 * The pack a blob batch is filling, opened on its first small blob, and whether a commit of the
 * batch failed: the rules {@link LocalBlobBatch} and {@link S3BlobBatch} share.
 */
final class PendingPack {
    /** Opens a new pack for the batch. */
    interface Opener {
        PackWriter open() throws IOException;
    }

    private final Object store;
    private final Opener opener;
    private PackWriter pack;

    /** Set when a commit failed: the blobs it held are lost, so the batch takes nothing more. */
    private volatile boolean failed;

    PendingPack(Object store, Opener opener) {
        this.store = store;
        this.opener = opener;
    }

    /** The pack small blobs go into, opened when the batch has none. */
    synchronized PackWriter current() throws IOException {
        if (pack == null) {
            pack = opener.open();
        }
        return pack;
    }

    /** The pack to commit, if any; the next small blob opens a new one. */
    synchronized PackWriter take() {
        PackWriter taken = pack;
        pack = null;
        return taken;
    }

    /** Drops the pack that was never committed. */
    void discard() {
        PackWriter unsealed = take();
        if (unsealed != null) {
            unsealed.discard();
        }
    }

    /**
     * Marks the batch failed: the blobs of the failed commit are still claimed by it, and taking
     * more puts would report them as stored when nothing holds them.
     */
    void fail() {
        failed = true;
    }

    void requireUsable() {
        if (failed) {
            throw new CairnException(
                    ErrorCode.INVALID_STATE,
                    "this blob batch of " + store + " failed to commit and takes no more puts or commits;"
                            + " store its blobs again in a new batch");
        }
    }
}
