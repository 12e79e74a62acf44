package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;
import java.util.regex.Pattern;

/** SHA-256 digests as Cairn writes them: 64 lower-case hex digits. */
final class Sha256 {
    private static final Pattern HEX = Pattern.compile("[0-9a-f]{64}");

    private Sha256() {}

    static MessageDigest newDigest() {
        try {
            return MessageDigest.getInstance("SHA-256");
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every JVM ships SHA-256", e);
        }
    }

    static String hex(MessageDigest digest) {
        return HexFormat.of().formatHex(digest.digest());
    }

    /** Rejects anything but a well-formed digest, so a digest can safely become part of a storage key. */
    static String requireValid(String sha256) {
        CairnException.requireArgument(
                sha256 != null && HEX.matcher(sha256).matches(),
                "sha256 must be 64 lower-case hex digits, got '" + sha256 + "'");
        return sha256;
    }

    /** The key of a blob below the store's root: {@code sha256/ab/cdef...}. */
    static String key(String sha256) {
        requireValid(sha256);
        return "sha256/" + sha256.substring(0, 2) + "/" + sha256.substring(2);
    }
}
