package kh.dds.schema.event;

/**
 * What a string must be for the replica to store it faithfully and pass it on safely, and how to quote a string that
 * may not be (a dead letter's reason goes into Kafka headers and operators' logs).
 *
 * <p>Refused: the control characters U+0000–U+001F and U+007F (SPEC §4's input rules; PostgreSQL cannot hold
 * U+0000 in {@code text} or {@code jsonb} at all) and unpaired surrogates (not Unicode text: UTF-8 has no encoding for
 * them, so they would be stored as {@code ?}). Length is counted in characters (code points), as people count a name,
 * not in UTF-16 units.
 */
public final class SafeText {

    private SafeText() {
    }

    /** Why {@code text} cannot be stored as a string of at most {@code max} characters, or {@code null} if it can. */
    public static String problemWith(String text, int max) {
        int characters = 0;
        for (int i = 0; i < text.length(); i++) {
            char c = text.charAt(i);
            if (c < 0x20 || c == 0x7F) {
                return "contains a control character";
            }
            if (Character.isHighSurrogate(c)) {
                if (i + 1 == text.length() || !Character.isLowSurrogate(text.charAt(i + 1))) {
                    return "contains an unpaired surrogate";
                }
                i++;
            } else if (Character.isLowSurrogate(c)) {
                return "contains an unpaired surrogate";
            }
            if (++characters > max) {
                return "longer than " + max + " characters";
            }
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
}
