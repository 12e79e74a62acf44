package dev.cairn.tracking;

import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/** Readable generated run names such as {@code bright-owl-417}, for runs created without one. */
final class RunNames {
    private static final List<String> ADJECTIVES = List.of(
            "able", "amber", "ancient", "bold", "brave", "bright", "calm", "clever", "crisp", "daring", "deep", "eager",
            "fair", "fast", "gentle", "glad", "golden", "grand", "green", "happy", "honest", "humble", "keen", "kind",
            "lively", "loud", "lucky", "mellow", "merry", "mighty", "neat", "noble", "polite", "proud", "quick",
            "quiet", "rare", "rich", "rustic", "sharp", "shy", "silent", "smart", "snowy", "steady", "stony", "sunny",
            "swift", "tidy", "vivid", "warm", "wise", "witty", "young", "zesty");
    private static final List<String> NOUNS = List.of(
            "ant", "badger", "bat", "bear", "bee", "bird", "boar", "carp", "cat", "cod", "colt", "crab", "crane",
            "crow", "deer", "dog", "dove", "duck", "eel", "elk", "finch", "fly", "fox", "frog", "goat", "hare", "hawk",
            "hen", "heron", "horse", "jay", "lark", "lion", "lynx", "mole", "moth", "mouse", "newt", "owl", "ox",
            "panda", "pig", "ram", "rat", "robin", "seal", "shark", "sheep", "slug", "snail", "squid", "stag", "swan",
            "toad", "trout", "vole", "wasp", "whale", "wolf", "wren", "yak");

    private RunNames() {}

    static String generate() {
        ThreadLocalRandom random = ThreadLocalRandom.current();
        return ADJECTIVES.get(random.nextInt(ADJECTIVES.size())) + "-" + NOUNS.get(random.nextInt(NOUNS.size())) + "-"
                + random.nextInt(1000);
    }
}
