package dev.cairn.demo;

import dev.cairn.core.CairnException;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.LocalDateTime;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.function.Function;

/** The flights table of the demo: read from CSV, split by month, written back as month files. */
final class Flights {
    static final String HEADER = "date,delay,distance,origin,destination";

    /** One flight as read from the file. */
    record Flight(LocalDateTime date, int delay, int distance, String origin, String destination) {
        boolean delayed() {
            return delay > 15;
        }

        String csv() {
            return date + "," + delay + "," + distance + "," + origin + "," + destination;
        }
    }

    private Flights() {}

    static List<Flight> read(Path csv) {
        try {
            List<String> lines = Files.readAllLines(csv);
            if (lines.isEmpty() || !lines.get(0).equals(HEADER)) {
                throw CairnException.invalid("flights file " + csv + ": header must be '" + HEADER + "'");
            }
            List<Flight> flights = new ArrayList<>(lines.size());
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

    static List<Flight> months(List<Flight> flights, int from, int to) {
        return flights.stream()
                .filter(f -> f.date().getMonthValue() >= from && f.date().getMonthValue() <= to)
                .toList();
    }

    static Path write(List<Flight> flights, Path file) {
        try {
            Files.createDirectories(file.getParent());
            List<String> lines = new ArrayList<>(flights.size() + 1);
            lines.add(HEADER);
            flights.forEach(f -> lines.add(f.csv()));
            return Files.write(file, lines);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    /** Every fifth flight, a deterministic holdout; {@code keep} false returns the other four fifths. */
    static List<Flight> holdout(List<Flight> flights, boolean keep) {
        List<Flight> out = new ArrayList<>();
        for (int i = 0; i < flights.size(); i++) {
            if ((i % 5 == 4) == keep) {
                out.add(flights.get(i));
            }
        }
        return out;
    }

    /**
     * Turns flights into the model's features: day of week, the smoothed delay rates of destination
     * and origin learnt on the training flights, distance, hour, month.
     */
    record Encoder(double prior, Map<String, Double> origins, Map<String, Double> destinations) {
        static final String[] FEATURES = {"day_of_week", "dest_rate", "distance", "hour", "month", "origin_rate"};

        static Encoder learn(List<Flight> training) {
            double prior = training.stream().filter(Flight::delayed).count() / (double) training.size();
            return new Encoder(
                    prior, rates(training, Flight::origin, prior), rates(training, Flight::destination, prior));
        }

        private static Map<String, Double> rates(List<Flight> flights, Function<Flight, String> key, double prior) {
            Map<String, double[]> counts = new HashMap<>();
            for (Flight f : flights) {
                double[] c = counts.computeIfAbsent(key.apply(f), k -> new double[2]);
                c[0] += f.delayed() ? 1 : 0;
                c[1] += 1;
            }
            Map<String, Double> rates = new HashMap<>();
            // smoothing towards the overall rate keeps rare airports from getting extreme rates
            counts.forEach((k, c) -> rates.put(k, (c[0] + 20 * prior) / (c[1] + 20)));
            return rates;
        }

        /** Row-major features, {@link #FEATURES} wide. */
        float[] features(List<Flight> flights) {
            int n = FEATURES.length;
            float[] x = new float[flights.size() * n];
            for (int i = 0; i < flights.size(); i++) {
                Flight f = flights.get(i);
                x[i * n] = f.date().getDayOfWeek().getValue() / 7f;
                x[i * n + 1] = destinations.getOrDefault(f.destination(), prior).floatValue();
                x[i * n + 2] = f.distance() / 1000f;
                x[i * n + 3] = f.date().getHour() / 24f;
                x[i * n + 4] = f.date().getMonthValue() / 12f;
                x[i * n + 5] = origins.getOrDefault(f.origin(), prior).floatValue();
            }
            return x;
        }

        static float[] labels(List<Flight> flights) {
            float[] y = new float[flights.size()];
            for (int i = 0; i < y.length; i++) {
                y[i] = flights.get(i).delayed() ? 1f : 0f;
            }
            return y;
        }
    }
}
