package kh.dds.api.verification.matching;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Decides whether two Latin-script names are close romanisations of the same Khmer name.
 *
 * <h2>Phonetic key</h2>
 * {@link #key(String)} maps a name to a key in which the common variants of Khmer romanisation coincide. On the
 * {@linkplain NameNormalizer#normalize normalised} name, in this order:
 * <ol>
 *   <li>accents are dropped (NFD, combining marks removed): {@code Sóvann} → {@code sovann};</li>
 *   <li>everything but the letters {@code a–z} is dropped (spaces, hyphens, apostrophes, dots, other scripts):
 *       {@code Srey Mom}, {@code Srey-Mom} → {@code sreymom};</li>
 *   <li>{@code y} → {@code i} ({@code Srey}/{@code Srei});</li>
 *   <li>consonant digraphs: {@code kh} → {@code k}, {@code ph} → {@code p}, {@code th} → {@code t},
 *       {@code ch} → {@code c}, and {@code j} → {@code c} ({@code ch/c/j});</li>
 *   <li>vowels: {@code ea}, {@code ie}, {@code ia} → {@code ia}; {@code ou}, {@code u} → {@code o};</li>
 *   <li>a final {@code h} is dropped ({@code Chea}/{@code Cheah});</li>
 *   <li>doubled letters are collapsed ({@code Sovann}/{@code Sovan}).</li>
 * </ol>
 * Replacements in steps 4 and 5 are made in one left-to-right pass, longest pattern first.
 *
 * <h2>What counts as close ({@code PARTIAL})</h2>
 * Two names that are not equal after normalisation are {@linkplain #isClose close} exactly when their keys are
 * non-empty and either
 * <ul>
 *   <li>the keys are equal, or</li>
 *   <li>both keys have at least {@value #MIN_KEY_LENGTH_FOR_EDIT} letters, their Damerau-Levenshtein distance is 1,
 *       and their consonant skeletons (the key without {@code a e i o}) are equal — i.e. the one edit touches only
 *       vowels or swaps two neighbours, as romanisations of Khmer vowels vary most.</li>
 * </ul>
 * So {@code Sovann}/{@code Sovan}, {@code Sopheap}/{@code Sophiep}, {@code Chea}/{@code Chia},
 * {@code Bopha}/{@code Bupha}, {@code Sreymom}/{@code Srey Mom} are close; {@code Dara}/{@code Sophea},
 * {@code Sopheak}/{@code Sopheap} (a different final consonant: different names) and {@code Pich}/{@code Petch}
 * (keys {@code pic}/{@code petc} differ by two, and short names get no edit) are not. The relation is symmetric and
 * never holds for keys more than one edit apart.
 */
public final class Transliteration {

    /** The shortest key to which one vowel edit is allowed. */
    public static final int MIN_KEY_LENGTH_FOR_EDIT = 5;

    private static final String[][] REWRITES = {
            {"kh", "k"}, {"ph", "p"}, {"th", "t"}, {"ch", "c"},
            {"ea", "ia"}, {"ie", "ia"}, {"ia", "ia"}, {"ou", "o"},
            {"j", "c"}, {"u", "o"},
    };

    private Transliteration() {
    }

    /** True when the two Latin names are close romanisations (see the class description); symmetric. */
    public static boolean isClose(String a, String b) {
        String keyA = key(a);
        String keyB = key(b);
        if (keyA.isEmpty() || keyB.isEmpty()) {
            return false;
        }
        if (keyA.equals(keyB)) {
            return true;
        }
        return Math.min(keyA.length(), keyB.length()) >= MIN_KEY_LENGTH_FOR_EDIT
                && Math.abs(keyA.length() - keyB.length()) <= 1
                && damerauLevenshtein(keyA, keyB) == 1
                && consonants(keyA).equals(consonants(keyB));
    }

    /** The phonetic key of a Latin-script name (see the class description); empty when it has no Latin letter. */
    public static String key(String name) {
        String text = Normalizer.normalize(NameNormalizer.normalize(name), Normalizer.Form.NFD);
        StringBuilder letters = new StringBuilder(text.length());
        for (int i = 0; i < text.length(); i++) {
            char c = Character.toLowerCase(text.charAt(i));
            if (c >= 'a' && c <= 'z') {
                letters.append(c == 'y' ? 'i' : c);
            }
        }
        // each rewrite is tried at its position only (startsWith), so the key is linear in the name's length
        String latin = letters.toString();
        StringBuilder rewritten = new StringBuilder(latin.length());
        int i = 0;
        outer:
        while (i < latin.length()) {
            for (String[] rewrite : REWRITES) {
                if (latin.startsWith(rewrite[0], i)) {
                    rewritten.append(rewrite[1]);
                    i += rewrite[0].length();
                    continue outer;
                }
            }
            rewritten.append(latin.charAt(i));
            i++;
        }
        if (rewritten.length() > 1 && rewritten.charAt(rewritten.length() - 1) == 'h') {
            rewritten.setLength(rewritten.length() - 1);
        }
        StringBuilder key = new StringBuilder(rewritten.length());
        for (int j = 0; j < rewritten.length(); j++) {
            char c = rewritten.charAt(j);
            if (key.length() == 0 || key.charAt(key.length() - 1) != c) {
                key.append(c);
            }
        }
        return key.toString().toLowerCase(Locale.ROOT);
    }

    static String consonants(String key) {
        return key.replaceAll("[aeio]", "");
    }

    /** Optimal string alignment distance: insertions, deletions, substitutions and adjacent transpositions. */
    static int damerauLevenshtein(String a, String b) {
        int[][] d = new int[a.length() + 1][b.length() + 1];
        for (int i = 0; i <= a.length(); i++) {
            d[i][0] = i;
        }
        for (int j = 0; j <= b.length(); j++) {
            d[0][j] = j;
        }
        for (int i = 1; i <= a.length(); i++) {
            for (int j = 1; j <= b.length(); j++) {
                int cost = a.charAt(i - 1) == b.charAt(j - 1) ? 0 : 1;
                int best = Math.min(Math.min(d[i - 1][j] + 1, d[i][j - 1] + 1), d[i - 1][j - 1] + cost);
                if (i > 1 && j > 1 && a.charAt(i - 1) == b.charAt(j - 2) && a.charAt(i - 2) == b.charAt(j - 1)) {
                    best = Math.min(best, d[i - 2][j - 2] + 1);
                }
                d[i][j] = best;
            }
        }
        return d[a.length()][b.length()];
    }
}
