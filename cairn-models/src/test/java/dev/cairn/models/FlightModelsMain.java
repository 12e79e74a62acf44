package dev.cairn.models;

import java.nio.file.Path;

/** Writes the flights model packages into a folder, for serving by hand and for benchmarks: {@code xgb/} and {@code onnx/}. */
public final class FlightModelsMain {
    private FlightModelsMain() {}

    public static void main(String[] args) {
        Path out = Path.of(args.length > 0 ? args[0] : "target/flight-models");
        FlightsSample sample = FlightsSample.load();
        System.out.println("xgboost "
                + FlightModels.saveXGBoost(sample, out.resolve("xgb")).contentHash());
        System.out.println("onnx    "
                + FlightModels.saveLogisticOnnx(sample, out.resolve("onnx")).contentHash());
    }
}
