package dev.cairn.pipelines.execution;

import java.nio.file.Path;

/** A pipeline run row with what a resume needs: the spec snapshot, project directory and options. */
record StoredRun(
        PipelineRunRecord record, Path projectDir, String specJson, String optionsJson, boolean cancelRequested) {}
