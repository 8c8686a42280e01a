package kh.dds.simulator.claims;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;

/**
 * A ministry's beneficiary roll as a bulk verification request (SPEC §4.3, CSV with a header row): the claims of
 * {@link VerificationClaims} — matching, partly matching and mismatching, Khmer or Latin names, a sex or a province
 * now and then, a majority predicate — one row each, with the caller's reference, and among them bad lines a real
 * roll has: a KIdC whose check digit is wrong, a date that is no date, a well-formed KIdC the registry (almost certainly) never issued. Each kind of
 * bad line is answered with its own problem row while the job goes on.
 */
public final class BulkCsv {

    public static final String HEADER = "kidc,reference,familyName,givenName,dateOfBirth,sex,province,ageAtLeast";

    /** What a row is meant to get. */
    public enum RowKind { MATCH, PARTIAL, MISMATCH, BAD_CHECK_DIGIT, BAD_DATE, UNKNOWN_KIDC }

    public record Row(RowKind kind, String line) {
    }

    private static final long SALT_BAD = 0x62756c6bL; // "bulk"
    private static final ObjectMapper JSON = new ObjectMapper();

    private final VerificationClaims claims;
    private final long seed;
    private final double badShare;

    /** {@code badPerThousand} rows in a thousand are bad, in equal shares of the three kinds. */
    public BulkCsv(VerificationClaims claims, long seed, int badPerThousand) {
        if (badPerThousand < 0 || badPerThousand > 1000) {
            throw new IllegalArgumentException("bad lines per thousand: 0 to 1000");
        }
        this.claims = claims;
        this.seed = seed;
        this.badShare = badPerThousand / 1000.0;
    }

    public Row row(long n) {
        VerificationClaims.Claim claim = claims.claim(n);
        JsonNode body;
        try {
            body = JSON.readTree(claim.body());
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
        JsonNode claimed = body.path("claims");
        String kidc = body.path("kidc").asText();
        String birth = claimed.path("dateOfBirth").asText();
        RowKind kind = RowKind.valueOf(claim.kind().name());
        SplittableRandom random = new SplittableRandom(seed ^ SALT_BAD * (n + 1));
        if (random.nextDouble() < badShare) {
            switch (random.nextInt(3)) {
                case 0 -> {
                    kind = RowKind.BAD_CHECK_DIGIT;
                    int digit = kidc.charAt(9) - '0';
                    kidc = kidc.substring(0, 9) + (char) ('0' + (digit + 1 + random.nextInt(9)) % 10);
                }
                case 1 -> {
                    kind = RowKind.BAD_DATE;
                    birth = birth.substring(0, 4) + "-13-45";
                }
                default -> {
                    kind = RowKind.UNKNOWN_KIDC;
                    // a well-formed code drawn at random: among 10^8 citizen codes, one of the population's by chance
                    // only one time in a thousand at 100,000 persons
                    kidc = Kidc.random(random, KidcKind.CITIZEN).value();
                }
            }
        }
        List<String> cells = new ArrayList<>(8);
        cells.add(kidc);
        cells.add("roll-" + (n + 1));
        cells.add(claimed.path("familyName").asText());
        cells.add(claimed.path("givenName").asText());
        cells.add(birth);
        cells.add(claimed.path("sex").asText(""));
        cells.add(claimed.path("address").path("province").asText(""));
        cells.add(body.path("conditions").path("ageAtLeast").asText(""));
        StringBuilder line = new StringBuilder();
        for (String cell : cells) {
            if (!line.isEmpty()) {
                line.append(',');
            }
            line.append(quoted(cell));
        }
        return new Row(kind, line.toString());
    }

    /** RFC 4180: a cell with a comma, a quote or a line break is quoted, its quotes doubled. */
    static String quoted(String cell) {
        if (cell.indexOf(',') < 0 && cell.indexOf('"') < 0 && cell.indexOf('\n') < 0 && cell.indexOf('\r') < 0) {
            return cell;
        }
        return '"' + cell.replace("\"", "\"\"") + '"';
    }
}
