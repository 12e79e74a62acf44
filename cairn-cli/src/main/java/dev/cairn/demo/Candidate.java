package dev.cairn.demo;

import java.nio.file.Path;

/** A trained model with its tracked run, its package on disk and its holdout scores. */
record Candidate(
        String runId,
        DelayModel model,
        Path directory,
        String contentHash,
        int trainRows,
        int holdoutRows,
        double auc,
        double accuracy) {
    String shortHash() {
        return contentHash.substring(0, Math.min(12, contentHash.length()));
    }
}
