package kh.dds.schema.text;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.util.HexFormat;

/**
 * What a string must be for this project to store it and pass it on (SPEC §4 "Input rules": no control characters
 * U+0000–U+001F and U+007F, no unpaired surrogates, bounded), and the forms in which a string that is not is kept:
 * {@link #of} for a value that must still be stored and told apart (a lookup record's), {@link #escaped} for a reason
 * that quotes it (a dead letter's header, a log line). {@link #problemWith} is the check every reader of outside
 * input applies (the API's callers, the registry's events).
 *
 * <h2>The stored form ({@link #of})</h2>
 * A caller's value in a form that every store of a lookup record accepts (SPEC §4 "Input rules"): PostgreSQL
 * ({@code text} refuses U+0000; a B-tree index refuses rows over ~2.7 kB), Kafka and JSON (an unpaired surrogate is not
 * UTF-8), a CSV export or a terminal (control characters).
 *
 * <p>A value that is at most {@code max} characters long and holds no control character (U+0000–U+001F, U+007F) and
 * no unpaired surrogate is kept as it is. Any other value is <em>altered</em>: each such character becomes
 * {@code \}{@code uXXXX}, the result is cut to {@code max} characters (never inside an escape or a surrogate pair)
 * and followed by {@value #DIGEST_MARK} and the SHA-256 of the original (its UTF-8 bytes, an unpaired surrogate as
 * {@code ?}), so that an auditor can still tell which value was sent. An altered value is at most
 * {@code max + }{@value #DIGEST_LENGTH} characters long. The function is idempotent: an altered value is itself safe
 * (a store downstream may apply it again with the same bound and keep what it is given).
 */
public final class SafeText {

    /** What separates the kept part of an altered value from the digest of the original. */
    public static final String DIGEST_MARK = "…sha256:";
    /** What an altered value adds to its kept part: the mark and 64 hexadecimal digits. */
    public static final int DIGEST_LENGTH = DIGEST_MARK.length() + 64;

    private SafeText() {
    }

    /** The value as it may be stored: itself when safe, else escaped, cut and followed by its digest. */
    public static String of(String value, int max) {
        if (value == null || isSafe(value, max)) {
            return value;
        }
        StringBuilder kept = new StringBuilder(Math.min(value.length(), max) + DIGEST_LENGTH);
        for (int i = 0; i < value.length(); ) {
            int c = value.codePointAt(i);
            int width = Character.charCount(c);
            String piece = unsafe(c) ? String.format("\\u%04x", c) : value.substring(i, i + width);
            if (kept.length() + piece.length() > max) {
                break;
            }
            kept.append(piece);
            i += width;
        }
        return kept.append(DIGEST_MARK).append(sha256(value)).toString();
    }

    /**
     * Why {@code text} cannot be taken as a string of at most {@code max} characters, or {@code null} if it can.
     * Length is counted in characters (code points), as people count a name, not in UTF-16 units.
     */
    public static String problemWith(String text, int max) {
        int characters = 0;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            if (c < 0x20 || c == 0x7f) {
                return "contains a control character";
            }
            if (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE) {
                return "contains an unpaired surrogate";
            }
            if (++characters > max) {
                return "longer than " + max + " characters";
            }
            i += Character.charCount(c);
        }
        return null;
    }

    /**
     * {@code text} cut to about {@code max} UTF-16 units, with every control character, unpaired surrogate and
     * backslash written as a {@code \\uXXXX} escape, so that it fits on one log line and in one Kafka header and can
     * be read back unambiguously. A cut text ends with {@code …}.
     */
    public static String escaped(String text, int max) {
        if (text == null) {
            return "";
        }
        StringBuilder out = new StringBuilder(Math.min(text.length(), max) + 16);
        for (int i = 0; i < text.length(); i++) {
            if (out.length() >= max) {
                out.append('…');
                break;
            }
            char c = text.charAt(i);
            boolean pair = Character.isHighSurrogate(c) && i + 1 < text.length()
                    && Character.isLowSurrogate(text.charAt(i + 1));
            if (pair) {
                out.append(c).append(text.charAt(++i));
            } else if (c < 0x20 || c == 0x7F || c == '\\' || Character.isSurrogate(c)) {
                out.append(String.format("\\u%04X", (int) c));
            } else {
                out.append(c);
            }
        }
        return out.toString();
    }

    /**
     * True when the value holds no control character or lone surrogate and is at most {@code max} characters long,
     * or is already an altered value of that bound.
     */
    public static boolean isSafe(String value, int max) {
        if (problemWith(value, Integer.MAX_VALUE) != null) {
            return false;
        }
        return value.length() <= max || (value.length() <= max + DIGEST_LENGTH
                && value.startsWith(DIGEST_MARK, value.length() - DIGEST_LENGTH)
                && value.substring(value.length() - 64).chars().allMatch(SafeText::isHexDigit));
    }

    private static boolean isHexDigit(int c) {
        return (c >= '0' && c <= '9') || (c >= 'a' && c <= 'f');
    }

    /** A control character, or a surrogate that {@link String#codePointAt} could not pair. */
    private static boolean unsafe(int c) {
        return c < 0x20 || c == 0x7f || (c >= Character.MIN_SURROGATE && c <= Character.MAX_SURROGATE);
    }

    private static String sha256(String value) {
        try {
            return HexFormat.of().formatHex(MessageDigest.getInstance("SHA-256")
                    .digest(value.getBytes(StandardCharsets.UTF_8)));
        } catch (NoSuchAlgorithmException e) {
            throw new IllegalStateException("every Java platform has SHA-256", e);
        }
    }
}
