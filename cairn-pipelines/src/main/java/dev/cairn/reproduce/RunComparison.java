package dev.cairn.reproduce;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import dev.cairn.artifacts.ArtifactFile;
import dev.cairn.artifacts.ArtifactPath;
import dev.cairn.artifacts.ArtifactRepository;
import dev.cairn.artifacts.ArtifactRoot;
import dev.cairn.core.CairnException;
import dev.cairn.core.ErrorCode;
import dev.cairn.provenance.CodeVersion;
import dev.cairn.provenance.Dependency;
import dev.cairn.provenance.EntryPoint;
import dev.cairn.provenance.Provenance;
import dev.cairn.tracking.Metric;
import dev.cairn.tracking.Run;
import java.io.IOException;
import java.io.InputStream;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Objects;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/** Compares a recorded run with its reproduction: artifacts, metrics, and the provenance that explains a difference. */
final class RunComparison {
    /** A model package's manifest; its content hash leaves volatile metadata (creation time, run) out. */
    static final String MODEL_MANIFEST = "cairn-model.json";

    private static final ObjectMapper JSON = new ObjectMapper();
    private static final Set<String> RECORD_KEEPING = Set.of("logs", "provenance");

    private RunComparison() {}

    /**
     * Every artifact of either run except logs and provenance records, by path: bytes by SHA-256,
     * model package directories by their content hash.
     */
    static List<Reproduction.Artifact> artifacts(
            ArtifactRepository repository, ArtifactRoot recorded, ArtifactRoot reproduced) {
        Map<String, String> a = hashes(repository, recorded);
        Map<String, String> b = hashes(repository, reproduced);
        Set<String> paths = new TreeSet<>(a.keySet());
        paths.addAll(b.keySet());
        List<Reproduction.Artifact> out = new ArrayList<>();
        for (String path : paths) {
            String by = path.endsWith("/") ? "model-content-hash" : "sha256";
            out.add(new Reproduction.Artifact(
                    path.endsWith("/") ? path.substring(0, path.length() - 1) : path,
                    by,
                    a.getOrDefault(path, ""),
                    b.getOrDefault(path, "")));
        }
        return out;
    }

    /** Path to hash; a model package appears once, as its directory path with a trailing slash. */
    private static Map<String, String> hashes(ArtifactRepository repository, ArtifactRoot root) {
        List<ArtifactFile> files = repository.walk(root, ArtifactPath.ROOT).stream()
                .filter(f -> !RECORD_KEEPING.contains(f.path().segments().get(0)))
                .toList();
        Set<ArtifactPath> models = new TreeSet<>((x, y) -> x.value().compareTo(y.value()));
        files.stream()
                .filter(f -> f.path().name().equals(MODEL_MANIFEST))
                .forEach(f -> models.add(f.path().parent().orElse(ArtifactPath.ROOT)));
        Map<String, String> hashes = new TreeMap<>();
        for (ArtifactPath model : models) {
            hashes.put(model.value() + "/", modelContentHash(repository, root, model.resolve(MODEL_MANIFEST)));
        }
        for (ArtifactFile f : files) {
            boolean inModel = models.stream().anyMatch(m -> f.path().startsWith(m));
            if (!inModel) {
                hashes.put(f.path().value(), f.blob().sha256());
            }
        }
        return hashes;
    }

    private static String modelContentHash(ArtifactRepository repository, ArtifactRoot root, ArtifactPath manifest) {
        try (InputStream in = repository.open(root, manifest)) {
            JsonNode node = JSON.readTree(in).get("content_hash");
            if (node == null || !node.isTextual()) {
                throw CairnException.invalid("model manifest " + manifest.value() + " has no content_hash");
            }
            return node.asText();
        } catch (IOException e) {
            throw new CairnException(
                    ErrorCode.INTERNAL_ERROR,
                    "model manifest " + manifest.value() + " could not be read: " + e.getMessage(),
                    e);
        }
    }

    /** Every metric's latest value in either run, compared with a relative tolerance. */
    static List<Reproduction.Metric> metrics(Run recorded, Run reproduced, double tolerance) {
        Map<String, Double> a = latest(recorded);
        Map<String, Double> b = latest(reproduced);
        Set<String> keys = new TreeSet<>(a.keySet());
        keys.addAll(b.keySet());
        List<Reproduction.Metric> out = new ArrayList<>();
        for (String key : keys) {
            double x = a.getOrDefault(key, Double.NaN);
            double y = b.getOrDefault(key, Double.NaN);
            out.add(new Reproduction.Metric(
                    key, x, y, within(x, y, tolerance, a.containsKey(key) && b.containsKey(key))));
        }
        return out;
    }

    private static boolean within(double x, double y, double tolerance, boolean both) {
        if (!both) {
            return false;
        }
        if (Double.compare(x, y) == 0) {
            return true;
        }
        return Math.abs(x - y) <= tolerance * Math.max(Math.abs(x), Math.abs(y));
    }

    private static Map<String, Double> latest(Run run) {
        Map<String, Double> values = new TreeMap<>();
        for (Metric m : run.latestMetrics()) {
            values.put(m.key(), m.value());
        }
        return values;
    }

    static Reproduction.Verdict verdict(List<Reproduction.Artifact> artifacts, List<Reproduction.Metric> metrics) {
        boolean sameArtifacts = artifacts.stream().allMatch(Reproduction.Artifact::equal);
        if (sameArtifacts && metrics.stream().allMatch(Reproduction.Metric::equal)) {
            return Reproduction.Verdict.IDENTICAL;
        }
        if (!metrics.isEmpty() && metrics.stream().allMatch(Reproduction.Metric::withinTolerance)) {
            return Reproduction.Verdict.EQUIVALENT;
        }
        return Reproduction.Verdict.DIFFERENT;
    }

    /**
     * What differs between the recorded provenance and the reproduction's: code (commit, diff, code
     * files), data (inputs, by name, with the file they name), parameters and environment.
     */
    static List<Reproduction.Cause> causes(Provenance recorded, Provenance reproduced) {
        List<Reproduction.Cause> causes = new ArrayList<>();
        code(recorded.code(), reproduced.code(), causes);
        inputs(recorded.entryPoint(), reproduced.entryPoint(), causes);
        params(recorded.entryPoint(), reproduced.entryPoint(), causes);
        environment(recorded, reproduced, causes);
        return causes;
    }

    private static void code(CodeVersion a, CodeVersion b, List<Reproduction.Cause> causes) {
        if (a instanceof CodeVersion.Git x && b instanceof CodeVersion.Git y) {
            if (!x.commit().equals(y.commit())) {
                causes.add(new Reproduction.Cause("code", "commit " + y.commit() + " ran instead of " + x.commit()));
            } else if (!x.diffSha256().equals(y.diffSha256())) {
                causes.add(new Reproduction.Cause(
                        "code",
                        "the uncommitted changes differ from those recorded (diff SHA-256 " + y.diffSha256()
                                + ", recorded " + x.diffSha256() + ")"));
            }
        }
    }

    private static void inputs(EntryPoint a, EntryPoint b, List<Reproduction.Cause> causes) {
        Map<String, EntryPoint.Input> before = byName(a);
        Map<String, EntryPoint.Input> after = byName(b);
        for (EntryPoint.Input in : before.values()) {
            EntryPoint.Input now = after.get(in.name());
            String kind = in.kind().equals("code") ? "code" : "data";
            String what = in.kind().equals("code") ? "code file " + in.reference() : describe(in);
            if (now == null) {
                causes.add(new Reproduction.Cause(kind, what + " was not read by the reproduction"));
            } else if (!Objects.equals(in.sha256(), now.sha256())) {
                causes.add(new Reproduction.Cause(
                        kind,
                        what + " changed: it has SHA-256 " + now.sha256() + " (read from " + now.path()
                                + ") but the run read " + in.sha256()));
            }
        }
        for (EntryPoint.Input in : after.values()) {
            if (!before.containsKey(in.name())) {
                causes.add(new Reproduction.Cause(
                        in.kind().equals("code") ? "code" : "data", describe(in) + " is new in the reproduction"));
            }
        }
    }

    private static String describe(EntryPoint.Input in) {
        return switch (in.kind()) {
            case "dataset" -> "input '" + in.name() + "' (" + in.reference() + ", version " + in.sha256() + ")";
            case "code" -> "code file " + in.reference();
            default -> "input '" + in.name() + "' (file " + in.path() + ")";
        };
    }

    private static Map<String, EntryPoint.Input> byName(EntryPoint entry) {
        Map<String, EntryPoint.Input> inputs = new TreeMap<>();
        entry.inputs().forEach(i -> inputs.put(i.name(), i));
        return inputs;
    }

    private static void params(EntryPoint a, EntryPoint b, List<Reproduction.Cause> causes) {
        Set<String> names = new TreeSet<>(a.params().keySet());
        names.addAll(b.params().keySet());
        for (String name : names) {
            String x = a.params().get(name);
            String y = b.params().get(name);
            if (!Objects.equals(x, y)) {
                causes.add(new Reproduction.Cause(
                        "parameters",
                        "parameter '" + name + "' is " + y + " in the reproduction, " + x + " in the run"));
            }
        }
    }

    private static void environment(Provenance a, Provenance b, List<Reproduction.Cause> causes) {
        if (a.environmentFingerprint().equals(b.environmentFingerprint())) {
            return;
        }
        if (!a.environment().equals(b.environment())) {
            causes.add(new Reproduction.Cause(
                    "environment", "Java and OS differ: " + b.environment() + ", recorded " + a.environment()));
        }
        Map<String, String> before = jars(a);
        Map<String, String> after = jars(b);
        Set<String> names = new TreeSet<>(before.keySet());
        names.addAll(after.keySet());
        for (String name : names) {
            String x = before.get(name);
            String y = after.get(name);
            if (x == null) {
                causes.add(new Reproduction.Cause("environment", "jar " + name + " is new on the classpath"));
            } else if (y == null) {
                causes.add(new Reproduction.Cause("environment", "jar " + name + " is no longer on the classpath"));
            } else if (!x.equals(y)) {
                causes.add(new Reproduction.Cause(
                        "environment", "jar " + name + " changed (SHA-256 " + y + ", recorded " + x + ")"));
            }
        }
    }

    private static Map<String, String> jars(Provenance p) {
        Map<String, String> jars = new TreeMap<>();
        for (Dependency d : p.dependencies()) {
            jars.put(d.fileName(), d.sha256());
        }
        return jars;
    }
}
