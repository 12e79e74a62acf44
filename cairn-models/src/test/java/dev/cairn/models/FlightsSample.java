package dev.cairn.models;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;

/**
 * The committed flights sample ({@code examples/data/flights-sample-6k.csv}) as model features:
 * distance, hour, day of week, month, and the smoothed delay rates of origin and destination learnt
 * on the training months (1-4); the label is {@code delay > 15}.
 */
public final class FlightsSample {
    /** In alphabetical order, which is also the column order of Tribuo models and their ONNX exports. */
    public static final String[] FEATURES = {"day_of_week", "dest_rate", "distance", "hour", "month", "origin_rate"};

    /** One flight as read from the file. */
    public record Flight(LocalDateTime date, int delay, int distance, String origin, String destination) {}

    /** A feature matrix (row-major, {@link #FEATURES} wide) with its labels. */
    public record Split(float[] features, float[] labels) {
        public int rows() {
            return labels.length;
        }

        public float[] row(int i) {
            float[] row = new float[FEATURES.length];
            System.arraycopy(features, i * FEATURES.length, row, 0, FEATURES.length);
            return row;
        }

        public float[] column(int c) {
            float[] column = new float[rows()];
            for (int r = 0; r < rows(); r++) {
                column[r] = features[r * FEATURES.length + c];
            }
            return column;
        }
    }

    public final Split train;
    public final Split test;

    private FlightsSample(Split train, Split test) {
        this.train = train;
        this.test = test;
    }

    public static Path file() {
        for (Path dir = Path.of("").toAbsolutePath(); dir != null; dir = dir.getParent()) {
            Path candidate = dir.resolve("examples/data/flights-sample-6k.csv");
            if (Files.exists(candidate)) {
                return candidate;
            }
        }
        throw new IllegalStateException("examples/data/flights-sample-6k.csv not found above "
                + Path.of("").toAbsolutePath());
    }

    public static List<Flight> flights() {
        try {
            List<String> lines = Files.readAllLines(file());
            var flights = new ArrayList<Flight>(lines.size());
            for (String line : lines.subList(1, lines.size())) {
                String[] f = line.split(",");
                flights.add(new Flight(
                        LocalDateTime.parse(f[0]), Integer.parseInt(f[1]), Integer.parseInt(f[2]), f[3], f[4]));
            }
            return flights;
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    public static FlightsSample load() {
        List<Flight> all = flights();
        List<Flight> early =
                all.stream().filter(f -> f.date().getMonthValue() <= 4).toList();
        List<Flight> late =
                all.stream().filter(f -> f.date().getMonthValue() > 4).toList();
        double prior = early.stream().filter(f -> f.delay() > 15).count() / (double) early.size();
        Map<String, Double> origin = rates(early, Flight::origin, prior);
        Map<String, Double> destination = rates(early, Flight::destination, prior);
        return new FlightsSample(encode(early, origin, destination, prior), encode(late, origin, destination, prior));
    }

    private static Map<String, Double> rates(
            List<Flight> flights, java.util.function.Function<Flight, String> key, double prior) {
        Map<String, double[]> counts = new HashMap<>();
        for (Flight f : flights) {
            double[] c = counts.computeIfAbsent(key.apply(f), k -> new double[2]);
            c[0] += f.delay() > 15 ? 1 : 0;
            c[1] += 1;
        }
        Map<String, Double> rates = new HashMap<>();
        // Smoothing towards the overall rate keeps rare airports from getting extreme rates.
        counts.forEach((k, c) -> rates.put(k, (c[0] + 20 * prior) / (c[1] + 20)));
        return rates;
    }

    private static Split encode(
            List<Flight> flights, Map<String, Double> origin, Map<String, Double> destination, double prior) {
        int n = FEATURES.length;
        float[] x = new float[flights.size() * n];
        float[] y = new float[flights.size()];
        for (int i = 0; i < flights.size(); i++) {
            Flight f = flights.get(i);
            // Scaled to about [0, 1] so that the logistic regression's SGD converges.
            x[i * n] = f.date().getDayOfWeek().getValue() / 7f;
            x[i * n + 1] = destination.getOrDefault(f.destination(), prior).floatValue();
            x[i * n + 2] = f.distance() / 1000f;
            x[i * n + 3] = f.date().getHour() / 24f;
            x[i * n + 4] = f.date().getMonthValue() / 12f;
            x[i * n + 5] = origin.getOrDefault(f.origin(), prior).floatValue();
            y[i] = f.delay() > 15 ? 1f : 0f;
        }
        return new Split(x, y);
    }
}
