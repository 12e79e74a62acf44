package dev.cairn.pipelines.execution;

import dev.cairn.core.CairnException;
import java.nio.file.Files;
import java.nio.file.Path;

/** Resolves project-relative (or absolute) files and directories by content. */
final class FileInputResolver implements InputResolver {
    static final FileInputResolver INSTANCE = new FileInputResolver();

    private FileInputResolver() {}

    @Override
    public boolean handles(String reference) {
        return true;
    }

    @Override
    public ResolvedInput resolve(String reference, Path projectDir) {
        Path path = projectDir.resolve(reference).normalize();
        if (!Files.exists(path)) {
            throw CairnException.notFound("input '" + reference + "' does not exist (looked for " + path + ")");
        }
        return new ResolvedInput(path, ContentHashes.ofPath(path));
    }
}
