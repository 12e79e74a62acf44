package dev.cairn.deployments;

import dev.cairn.core.CairnException;

/**
 * One model version of a deployment and the share of its traffic, in whole percent: {@code model}
 * is a model URI ({@code models:/<name>/<version>} or a package directory), {@code version} the
 * label the deployment serves it under (taken from a {@code models:/} URI when empty).
 */
public record TrafficSplit(String model, String version, int weight) {

    public TrafficSplit {
        CairnException.requireArgument(model != null && !model.isBlank(), "split 'model' must name a model URI");
        version = version == null || version.isBlank() ? versionOf(model) : version.strip();
        CairnException.requireArgument(
                version.matches("[A-Za-z0-9][A-Za-z0-9._-]{0,63}"),
                "split 'version' '" + version + "' of model '" + model
                        + "' must be 1-64 letters, digits, '.', '_' or '-'");
        CairnException.requireArgument(
                weight >= 0 && weight <= 100,
                "split 'weight' of version '" + version + "' must be in [0, 100], got " + weight);
    }

    /** The same version with another weight. */
    public TrafficSplit withWeight(int newWeight) {
        return new TrafficSplit(model, version, newWeight);
    }

    /** The version a {@code models:/<name>/<version>} URI names; other URIs need an explicit version. */
    private static String versionOf(String model) {
        String[] parts = model.startsWith("models:/") ? model.substring(8).split("/") : new String[0];
        if (parts.length != 2) {
            throw CairnException.invalid(
                    "split of model '" + model + "' needs a 'version' (only models:/<name>/<version> implies one)");
        }
        return parts[1];
    }
}
