package kh.dds.api.verification.matching;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.text.Normalizer;
import java.time.LocalDate;
import java.util.List;
import java.util.Locale;
import kh.dds.schema.event.PartialDate;

/**
 * Compares each kind of claim with the registry's record (registry field names, {@code PersonRegistered} shape).
 * Pure functions; the {@code validate…} methods throw {@link InvalidClaimException} for a malformed claim and are
 * meant to run before the record is looked at.
 */
public final class ClaimMatcher {

    private ClaimMatcher() {
    }

    // ---- names ----------------------------------------------------------------------------------------------------

    /**
     * A name claim against the registry's name in both scripts.
     * <ul>
     *   <li>{@code MATCH}: the normalised claim equals the normalised Khmer-script or Latin-script name;</li>
     *   <li>{@code NOT_AVAILABLE}: otherwise, when the registry has no name in the claim's script (a claim holding
     *       any Khmer character is in Khmer script, any other in Latin script);</li>
     *   <li>{@code PARTIAL}: a Latin-script claim that is {@linkplain Transliteration#isClose close} to the
     *       registry's Latin name; a Khmer-script claim is never {@code PARTIAL};</li>
     *   <li>{@code NO_MATCH}: otherwise.</li>
     * </ul>
     *
     * @param field {@code familyName} or {@code givenName}
     */
    /** The longest name claim matched (SPEC §4: names at most 200 characters). */
    public static final int MAX_NAME = 200;

    public static ClaimResult matchName(String claim, ObjectNode record, String field) {
        String claimed = validateName(claim, field);
        String khmer = NameNormalizer.normalize(text(record, field + "Kh"));
        String latin = NameNormalizer.normalize(text(record, field + "Latin"));
        if (claimed.equals(khmer) || claimed.equals(latin)) {
            return ClaimResult.MATCH;
        }
        if (NameNormalizer.isKhmer(claimed)) {
            return khmer == null || khmer.isEmpty() ? ClaimResult.NOT_AVAILABLE : ClaimResult.NO_MATCH;
        }
        if (latin == null || latin.isEmpty()) {
            return ClaimResult.NOT_AVAILABLE;
        }
        return Transliteration.isClose(claimed, latin) ? ClaimResult.PARTIAL : ClaimResult.NO_MATCH;
    }

    static String validateName(String claim, String field) {
        if (claim != null && claim.length() > MAX_NAME) {
            // before any normalisation or matching: their cost grows with the claim
            throw new InvalidClaimException("claims." + field, "at most " + MAX_NAME + " characters");
        }
        String normalized = NameNormalizer.normalize(claim);
        if (normalized == null || normalized.isEmpty()) {
            throw new InvalidClaimException("claims." + field, "must not be blank");
        }
        return normalized;
    }

    // ---- date of birth --------------------------------------------------------------------------------------------

    /**
     * A date-of-birth claim ({@code YYYY}, {@code YYYY-MM} or {@code YYYY-MM-DD}) against the registry's possibly
     * partial date.
     * <ul>
     *   <li>{@code NOT_AVAILABLE}: the registry has no (readable) date of birth;</li>
     *   <li>{@code MATCH}: the claim is exactly the registry's value, at the same precision (normally both full dates;
     *       a claim of {@code 1990} for a registry {@code 1990} claims nothing the registry does not hold);</li>
     *   <li>{@code PARTIAL}: the precisions differ and the two agree at the coarser one — the registry is coarser
     *       (registry {@code 1990-05}, claim {@code 1990-05-17}) or the claim is (claim {@code 1990}, registry
     *       {@code 1990-05-17}); in the second case the claim is consistent but does not prove the full date, so it
     *       is not a {@code MATCH};</li>
     *   <li>{@code NO_MATCH}: they disagree at the coarser precision.</li>
     * </ul>
     *
     * @throws InvalidClaimException when the claim is not a valid date of one of the three forms
     */
    public static ClaimResult matchDateOfBirth(String claim, ObjectNode record) {
        PartialDate claimed = validateDate(claim);
        PartialDate registered = registryDate(record);
        if (registered == null) {
            return ClaimResult.NOT_AVAILABLE;
        }
        if (claimed.equals(registered)) {
            return ClaimResult.MATCH;
        }
        boolean consistent = !claimed.latest().isBefore(registered.earliest())
                && !registered.latest().isBefore(claimed.earliest());
        return consistent ? ClaimResult.PARTIAL : ClaimResult.NO_MATCH;
    }

    static PartialDate validateDate(String claim) {
        try {
            return PartialDate.parse(claim == null ? null : claim.strip());
        } catch (IllegalArgumentException e) {
            throw new InvalidClaimException("claims.dateOfBirth", "must be a valid date YYYY, YYYY-MM or YYYY-MM-DD");
        }
    }

    /** The registry's date of birth, or {@code null} when it has none or it cannot be read. */
    static PartialDate registryDate(ObjectNode record) {
        String text = text(record, "dateOfBirth");
        if (text == null) {
            return null;
        }
        try {
            return PartialDate.parse(text);
        } catch (IllegalArgumentException e) {
            return null;
        }
    }

    // ---- sex ------------------------------------------------------------------------------------------------------

    /** {@code M} or {@code F} (case and surrounding spaces ignored) compared exactly; {@code NOT_AVAILABLE} if unset. */
    public static ClaimResult matchSex(String claim, ObjectNode record) {
        String claimed = validateSex(claim);
        String registered = text(record, "sex");
        if (registered == null) {
            return ClaimResult.NOT_AVAILABLE;
        }
        return claimed.equals(registered.toUpperCase(Locale.ROOT)) ? ClaimResult.MATCH : ClaimResult.NO_MATCH;
    }

    static String validateSex(String claim) {
        String claimed = claim == null ? "" : claim.strip().toUpperCase(Locale.ROOT);
        if (!claimed.equals("M") && !claimed.equals("F")) {
            throw new InvalidClaimException("claims.sex", "must be M or F");
        }
        return claimed;
    }

    // ---- document number ------------------------------------------------------------------------------------------

    /**
     * A document number against the person's documents. Numbers are compared after {@link #documentKey}
     * (NFKC, whitespace and hyphens removed, upper-cased).
     * <ul>
     *   <li>{@code NOT_AVAILABLE}: the person has no document;</li>
     *   <li>{@code MATCH}: equal to a document whose status is {@code VALID} and which has not expired
     *       ({@code expiresOn} absent, or on or after {@code today});</li>
     *   <li>{@code NO_MATCH}: otherwise — also when it equals only a {@code REVOKED} or expired document. A
     *       {@code PARTIAL} there would tell the caller that the number once belonged to the person; a revoked or
     *       expired document does not prove identity, so it gets the same answer as a wrong number.</li>
     * </ul>
     * There is no {@code PARTIAL} for document numbers.
     */
    public static ClaimResult matchDocumentNumber(String claim, ObjectNode record, LocalDate today) {
        String claimed = validateDocumentNumber(claim);
        JsonNode documents = record.get("documents");
        if (documents == null || !documents.isArray() || documents.isEmpty()) {
            return ClaimResult.NOT_AVAILABLE;
        }
        for (JsonNode document : documents) {
            if (!(document instanceof ObjectNode doc)) {
                continue;
            }
            String number = text(doc, "number");
            if (number == null || !claimed.equals(documentKey(number))) {
                continue;
            }
            if ("VALID".equals(text(doc, "status")) && !expired(doc, today)) {
                return ClaimResult.MATCH;
            }
        }
        return ClaimResult.NO_MATCH;
    }

    private static boolean expired(ObjectNode document, LocalDate today) {
        String expiresOn = text(document, "expiresOn");
        if (expiresOn == null) {
            return false;
        }
        try {
            return LocalDate.parse(expiresOn).isBefore(today);
        } catch (RuntimeException e) {
            return true; // an unreadable expiry cannot prove the document is still valid
        }
    }

    static String validateDocumentNumber(String claim) {
        String key = claim == null ? "" : documentKey(claim);
        if (key.isEmpty()) {
            throw new InvalidClaimException("claims.documentNumber", "must not be blank");
        }
        return key;
    }

    /** A document number without spaces or hyphens (any dash), NFKC (full-width digits fold), upper-cased. */
    static String documentKey(String number) {
        String text = Normalizer.normalize(number, Normalizer.Form.NFKC);
        StringBuilder out = new StringBuilder(text.length());
        text.codePoints()
                .filter(c -> !NameNormalizer.isSpace(c) && !NameNormalizer.isZeroWidth(c)
                        && c != '-' && Character.getType(c) != Character.DASH_PUNCTUATION)
                .forEach(out::appendCodePoint);
        return out.toString().toUpperCase(Locale.ROOT);
    }

    // ---- address --------------------------------------------------------------------------------------------------

    /**
     * A claimed address prefix against the declared address, level by level: {@code NO_MATCH} when any claimed level
     * differs from the registry's; otherwise {@code NOT_AVAILABLE} when the registry lacks a level the claim gives;
     * otherwise {@code MATCH}. There is no {@code PARTIAL} for addresses.
     */
    public static ClaimResult matchAddress(AddressClaim claim, ObjectNode record) {
        List<String> claimed = claim.levels();
        JsonNode address = record.get("address");
        ObjectNode registered = address instanceof ObjectNode node ? node : null;
        boolean missing = false;
        for (int i = 0; i < claimed.size(); i++) {
            String value = registered == null ? null : text(registered, AddressClaim.LEVELS.get(i));
            if (value == null) {
                missing = true;
            } else if (!value.equals(claimed.get(i))) {
                return ClaimResult.NO_MATCH;
            }
        }
        return missing ? ClaimResult.NOT_AVAILABLE : ClaimResult.MATCH;
    }

    // ---- reading the record ---------------------------------------------------------------------------------------

    /** The trimmed text of a field, or {@code null} when missing, JSON null, not textual or blank. */
    static String text(ObjectNode node, String field) {
        JsonNode value = node.get(field);
        if (value == null || !value.isTextual()) {
            return null;
        }
        String text = value.textValue().strip();
        return text.isEmpty() ? null : text;
    }
}
