package dev.cairn.artifacts;

import dev.cairn.core.CairnException;
import java.io.ByteArrayOutputStream;
import java.nio.ByteBuffer;
import java.nio.charset.CharacterCodingException;
import java.nio.charset.CodingErrorAction;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.regex.Pattern;

/**
 * A relative POSIX path inside an artifact tree: the one place where client-supplied artifact paths
 * are checked. Percent-encoding is decoded exactly once ({@link #fromUrl}); the result must then be
 * plainly relative and confined: no {@code ..} segments, no absolute or drive paths, no scheme, no
 * backslash, {@code ;}, {@code #}, {@code ?}, {@code :}, control character or leftover
 * percent-escape, no empty segment. Anything else is rejected with {@code INVALID_PARAMETER_VALUE}.
 * {@code .} segments and one trailing slash are normalized away.
 */
public record ArtifactPath(List<String> segments) {
    /** The root of a tree; the empty path. */
    public static final ArtifactPath ROOT = new ArtifactPath(List.of());

    static final int MAX_LENGTH = 4096;
    static final int MAX_SEGMENT_LENGTH = 255;

    /** An escape that survived the one decoding: double encoding is an attack, never a file name. */
    private static final Pattern LEFTOVER_ESCAPE = Pattern.compile("%[0-9A-Fa-f]{2}");

    private static final Pattern ENCODED_SEPARATOR = Pattern.compile("%(2[fF]|5[cC])");

    private static final Pattern ONLY_DOTS = Pattern.compile("\\.{2,}");

    public ArtifactPath {
        segments = List.copyOf(segments);
        for (String s : segments) {
            if (s.isEmpty() || s.equals(".") || ONLY_DOTS.matcher(s).matches() || s.indexOf('/') >= 0) {
                throw rejected(s, "is not a valid path segment");
            }
            check(s);
        }
    }

    /** Decodes a percent-encoded path (as it appears in a URL) exactly once, then checks it. */
    public static ArtifactPath fromUrl(String percentEncoded) {
        if (percentEncoded != null && ENCODED_SEPARATOR.matcher(percentEncoded).find()) {
            // A client that means a/b sends a/b; an escaped separator only hides segments from checks.
            throw rejected(percentEncoded, "contains an encoded '/' or '\\'");
        }
        return of(decodeOnce(percentEncoded));
    }

    /** Checks an already decoded path (a query parameter the HTTP layer has decoded). */
    public static ArtifactPath of(String path) {
        if (path == null) {
            throw CairnException.invalid("path must be given");
        }
        check(path);
        String trimmed = path.endsWith("/") ? path.substring(0, path.length() - 1) : path;
        if (trimmed.isEmpty()) {
            CairnException.requireArgument(path.isEmpty(), "path '" + path + "' must be relative");
            return ROOT;
        }
        List<String> segments = new ArrayList<>();
        for (String segment : trimmed.split("/", -1)) {
            if (segment.isEmpty()) {
                throw rejected(path, "has an empty segment");
            }
            if (segment.equals("..") || ONLY_DOTS.matcher(segment).matches()) {
                throw rejected(path, "contains a '" + segment + "' segment");
            }
            if (segment.length() > MAX_SEGMENT_LENGTH) {
                throw rejected(path, "has a segment longer than " + MAX_SEGMENT_LENGTH + " characters");
            }
            if (!segment.equals(".")) {
                segments.add(segment);
            }
        }
        return new ArtifactPath(segments);
    }

    /** The path as {@code a/b/c}; the empty string for the root. */
    public String value() {
        return String.join("/", segments);
    }

    public boolean isRoot() {
        return segments.isEmpty();
    }

    /** The last segment; the empty string for the root. */
    public String name() {
        return isRoot() ? "" : segments.get(segments.size() - 1);
    }

    public Optional<ArtifactPath> parent() {
        return isRoot() ? Optional.empty() : Optional.of(subpath(0, segments.size() - 1));
    }

    public ArtifactPath resolve(ArtifactPath child) {
        List<String> joined = new ArrayList<>(segments);
        joined.addAll(child.segments);
        return new ArtifactPath(joined);
    }

    public ArtifactPath resolve(String decodedChild) {
        return resolve(of(decodedChild));
    }

    public boolean startsWith(ArtifactPath prefix) {
        return segments.size() >= prefix.segments.size()
                && segments.subList(0, prefix.segments.size()).equals(prefix.segments);
    }

    /** The segments {@code [from, to)} as a path. */
    public ArtifactPath subpath(int from, int to) {
        return new ArtifactPath(segments.subList(from, to));
    }

    /** This path relative to {@code prefix}, which it must start with. */
    public ArtifactPath relativeTo(ArtifactPath prefix) {
        if (!startsWith(prefix)) {
            throw CairnException.invalid("path '" + value() + "' is not inside '" + prefix.value() + "'");
        }
        return subpath(prefix.segments.size(), segments.size());
    }

    @Override
    public String toString() {
        return value();
    }

    private static void check(String path) {
        if (path.length() > MAX_LENGTH) {
            throw rejected(path.substring(0, 64) + "...", "is longer than " + MAX_LENGTH + " characters");
        }
        if (path.startsWith("/")) {
            throw rejected(path, "is absolute");
        }
        for (int i = 0; i < path.length(); i++) {
            char c = path.charAt(i);
            if (Character.getType(c) == Character.CONTROL) {
                throw rejected(path, "contains a control character (U+" + String.format("%04X", (int) c) + ")");
            }
            switch (c) {
                case '\\' -> throw rejected(path, "contains a backslash");
                case ';', '#', '?' -> throw rejected(path, "contains '" + c + "'");
                case ':' -> throw rejected(path, "contains ':' (a scheme or drive letter)");
                default -> {}
            }
        }
        if (LEFTOVER_ESCAPE.matcher(path).find()) {
            throw rejected(path, "is still percent-encoded after decoding (double encoding)");
        }
    }

    private static String decodeOnce(String encoded) {
        if (encoded == null) {
            throw CairnException.invalid("path must be given");
        }
        if (encoded.indexOf('%') < 0) {
            return encoded;
        }
        ByteArrayOutputStream bytes = new ByteArrayOutputStream(encoded.length());
        for (int i = 0; i < encoded.length(); i++) {
            char c = encoded.charAt(i);
            if (c == '%') {
                int hi = i + 2 < encoded.length() ? Character.digit(encoded.charAt(i + 1), 16) : -1;
                int lo = hi >= 0 ? Character.digit(encoded.charAt(i + 2), 16) : -1;
                if (lo < 0) {
                    throw rejected(encoded, "has a malformed percent-escape at position " + i);
                }
                bytes.write(hi << 4 | lo);
                i += 2;
            } else {
                byte[] utf8 = String.valueOf(c).getBytes(StandardCharsets.UTF_8);
                if (Character.isHighSurrogate(c) && i + 1 < encoded.length()) {
                    utf8 = encoded.substring(i, i + 2).getBytes(StandardCharsets.UTF_8);
                    i++;
                }
                bytes.writeBytes(utf8);
            }
        }
        try {
            return StandardCharsets.UTF_8
                    .newDecoder()
                    .onMalformedInput(CodingErrorAction.REPORT)
                    .onUnmappableCharacter(CodingErrorAction.REPORT)
                    .decode(ByteBuffer.wrap(bytes.toByteArray()))
                    .toString();
        } catch (CharacterCodingException e) {
            throw rejected(encoded, "does not decode to UTF-8 (overlong or malformed escapes)");
        }
    }

    private static CairnException rejected(String path, String reason) {
        return CairnException.invalid("Invalid artifact path '" + printable(path) + "': it " + reason);
    }

    /** Echoes a rejected path without its control characters, so error messages stay one clean line. */
    private static String printable(String path) {
        StringBuilder out = new StringBuilder(Math.min(path.length(), 300));
        for (int i = 0; i < path.length() && out.length() < 300; i++) {
            char c = path.charAt(i);
            out.append(Character.getType(c) == Character.CONTROL ? String.format("\\u%04x", (int) c) : c);
        }
        return out.toString();
    }
}
