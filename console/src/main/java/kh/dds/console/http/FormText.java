package kh.dds.console.http;

/**
 * What the console accepts in a form's text field before sending it on: no control characters (NUL included; tabs
 * and line breaks neither, as no field of the console is multi-line) and a bounded length. Khmer and every other
 * script are welcome.
 */
public final class FormText {

    private FormText() {
    }

    /** Why {@code value} is refused, in words for the person; {@code null} when it is acceptable (or absent). */
    public static String problemWith(String value, int maxLength) {
        if (value == null) {
            return null;
        }
        if (value.length() > maxLength) {
            return "too long: at most " + maxLength + " characters";
        }
        for (int i = 0; i < value.length(); i++) {
            char c = value.charAt(i);
            if (Character.isISOControl(c) || c == '\u2028' || c == '\u2029') {
                return "contains a control character (such as NUL or a line break)";
            }
            if (Character.isHighSurrogate(c) && i + 1 < value.length() && Character.isLowSurrogate(value.charAt(i + 1))) {
                i++; // a character beyond the first 65,536, written as a pair: text
            } else if (Character.isSurrogate(c)) {
                return "contains characters that are not text";
            }
        }
        return null;
    }
}
