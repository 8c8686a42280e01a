package kh.dds.api.verification.matching;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Brings a name to the form in which two names are compared for equality (SPEC §4.1):
 * <ol>
 *   <li>the zero-width characters U+200B, U+200C, U+200D, U+2060 and U+FEFF are removed (Khmer text often carries
 *       U+200B between words);</li>
 *   <li>Unicode NFC;</li>
 *   <li>case folded, locale-independently ({@link Locale#ROOT} upper- then lower-casing, so that e.g. {@code ß} and
 *       {@code SS} agree), then NFC again, repeated until stable;</li>
 *   <li>every run of whitespace or space separators (including NBSP U+00A0, U+2007, U+202F) becomes one space, and
 *       the result is trimmed.</li>
 * </ol>
 * Khmer script has no case and passes step 3 unchanged. The function is idempotent.
 */
public final class NameNormalizer {

    private NameNormalizer() {
    }

    public static String normalize(String name) {
        if (name == null) {
            return null;
        }
        String text = removeZeroWidth(name);
        text = Normalizer.normalize(text, Normalizer.Form.NFC);
        for (int round = 0; round < MAX_CASE_ROUNDS; round++) {
            String folded = Normalizer.normalize(text.toUpperCase(Locale.ROOT).toLowerCase(Locale.ROOT),
                    Normalizer.Form.NFC);
            if (folded.equals(text)) {
                break;
            }
            text = folded;
        }
        return foldWhitespace(text);
    }

    /** Case mapping is repeated until stable (U+1E9E ẞ → ß → ss takes two rounds); a bound for safety. */
    private static final int MAX_CASE_ROUNDS = 4;

    static boolean isZeroWidth(int c) {
        return c == 0x200B || c == 0x200C || c == 0x200D || c == 0x2060 || c == 0xFEFF;
    }

    static boolean isSpace(int c) {
        return Character.isWhitespace(c) || Character.isSpaceChar(c);
    }

    private static String removeZeroWidth(String text) {
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints().filter(c -> !isZeroWidth(c)).forEach(out::appendCodePoint);
        return out.toString();
    }

    private static String foldWhitespace(String text) {
        StringBuilder out = new StringBuilder(text.length());
        boolean pendingSpace = false;
        for (int i = 0; i < text.length(); ) {
            int c = text.codePointAt(i);
            i += Character.charCount(c);
            if (isSpace(c)) {
                pendingSpace = out.length() > 0;
                continue;
            }
            if (pendingSpace) {
                out.append(' ');
                pendingSpace = false;
            }
            out.appendCodePoint(c);
        }
        return out.toString();
    }

    /** True when the name holds at least one character of the Khmer or Khmer Symbols blocks. */
    public static boolean isKhmer(String name) {
        return name.codePoints().anyMatch(c -> (c >= 0x1780 && c <= 0x17FF) || (c >= 0x19E0 && c <= 0x19FF));
    }
}
