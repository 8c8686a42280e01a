package kh.dds.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The relying parties of a national year: 50 contracts on three tariffs, made through the administration API as a
 * registry's administrators would make them, each with a client of its own. Thirty banks, fifteen telcos and five
 * ministries; their shares of the traffic fall off as a power law (the largest bank sends about 8% of the calls, the
 * smallest ministry a fraction of a percent), and each kind has its own purpose, data policy and mix of
 * verifications and attribute look-ups.
 *
 * <p>The tariffs are graduated where banks pay (so that the month's count crosses tiers during a run), flat for
 * telcos, and zero for ministries (a tariff of 0 still meters): {@link YearChecks} prices the audited counts with its
 * own arithmetic and compares them with billing's.
 *
 * <p>Written as {@code plan.json} in the run's directory (mode 600: it holds the clients' secrets, which exist for
 * the run alone).
 */
record YearPlan(List<Party> parties, Map<String, Tariff> tariffs) {

    static final int BANKS = 30;
    static final int TELCOS = 15;
    static final int MINISTRIES = 5;

    /** One contract and its client; {@code share} of all calls, {@code lookupShare} of its own calls are look-ups. */
    record Party(String kind, String organisation, String contractId, String clientId, String clientSecret,
                 String tariff, String purpose, double share, double lookupShare) {
    }

    /** Per product, the tiers in order: {@code upTo} (null: no bound) and the unit price in whole riel. */
    record Tariff(String id, Map<String, List<long[]>> products) {
    }

    static YearPlan create(SystemUnderTest system, String admin, String run) {
        Map<String, Tariff> tariffs = new LinkedHashMap<>();
        tariffs.put("BANK", tariff(system, admin, "bank-graduated-" + run, Map.of(
                "VERIFY", List.of(new long[] {20_000, 400}, new long[] {100_000, 300}, new long[] {-1, 200}),
                "LOOKUP", List.of(new long[] {10_000, 1_000}, new long[] {-1, 700}))));
        tariffs.put("TELCO", tariff(system, admin, "telco-flat-" + run, Map.of(
                "VERIFY", List.of(new long[] {-1, 250}),
                "LOOKUP", List.of(new long[] {-1, 600}))));
        tariffs.put("MINISTRY", tariff(system, admin, "ministry-public-" + run, Map.of(
                "VERIFY", List.of(new long[] {-1, 0}),
                "LOOKUP", List.of(new long[] {-1, 0}))));
        double[] weights = new double[BANKS + TELCOS + MINISTRIES];
        double sum = 0;
        for (int i = 0; i < weights.length; i++) {
            weights[i] = 1 / Math.pow(i + 1, 0.8);
            sum += weights[i];
        }
        List<Party> parties = new ArrayList<>();
        for (int i = 0; i < weights.length; i++) {
            // interleaved so that each kind has large and small parties
            String kind = i % 10 == 9 ? "MINISTRY" : i % 3 == 2 ? "TELCO" : "BANK";
            if (count(parties, kind) >= limit(kind)) {
                kind = count(parties, "BANK") < BANKS ? "BANK" : count(parties, "TELCO") < TELCOS ? "TELCO"
                        : "MINISTRY";
            }
            parties.add(party(system, admin, run, i, kind, tariffs.get(kind).id(), weights[i] / sum));
        }
        return new YearPlan(List.copyOf(parties), tariffs);
    }

    private static long count(List<Party> parties, String kind) {
        return parties.stream().filter(party -> party.kind().equals(kind)).count();
    }

    private static int limit(String kind) {
        return switch (kind) {
            case "BANK" -> BANKS;
            case "TELCO" -> TELCOS;
            default -> MINISTRIES;
        };
    }

    private static Tariff tariff(SystemUnderTest system, String admin, String name, Map<String, List<long[]>> tiers) {
        ObjectNode body = SystemUnderTest.JSON.createObjectNode();
        body.put("name", name);
        body.put("currency", "KHR");
        ObjectNode products = body.putObject("products");
        tiers.forEach((product, list) -> {
            ArrayNode array = products.putArray(product);
            for (long[] tier : list) {
                ObjectNode node = array.addObject();
                if (tier[0] < 0) {
                    node.putNull("upTo");
                } else {
                    node.put("upTo", tier[0]);
                }
                node.put("unitPrice", tier[1]);
            }
        });
        JsonNode created = system.post(system.apiUrl + "/v1/admin/tariffs", admin, body, 201);
        return new Tariff(created.path("id").asText(), tiers);
    }

    private static Party party(SystemUnderTest system, String admin, String run, int index, String kind,
                               String tariffId, double share) {
        String purpose = switch (kind) {
            case "BANK" -> "KYC_ACCOUNT_OPENING";
            case "TELCO" -> "SIM_REGISTRATION";
            default -> "BENEFIT_ELIGIBILITY";
        };
        List<String> fields = switch (kind) {
            case "BANK" -> List.of("familyName", "givenName", "dateOfBirth", "sex", "address", "documents");
            case "TELCO" -> List.of("familyName", "givenName", "dateOfBirth");
            default -> List.of("familyName", "givenName", "dateOfBirth", "sex", "address", "maritalStatus", "status",
                    "dateOfDeath");
        };
        double lookupShare = switch (kind) {
            case "BANK" -> 0.25;
            case "TELCO" -> 0.10;
            default -> 0.40;
        };
        String organisation = String.format("%s %02d (year %s)", switch (kind) {
            case "BANK" -> "Bank";
            case "TELCO" -> "Telco";
            default -> "Ministry";
        }, index + 1, run);
        Map<String, Object> contract = new LinkedHashMap<>();
        contract.put("organisation", organisation);
        contract.put("kind", kind);
        contract.put("validFrom", "2026-01-01");
        contract.put("products", List.of("VERIFY", "LOOKUP"));
        contract.put("purposes", List.of(purpose));
        contract.put("dataPolicy", Map.of("fields", fields));
        contract.put("rateLimitPerSecond", 100_000);
        contract.put("tariffId", tariffId);
        contract.put("operatorIdRequired", true);
        String contractId = system.post(system.apiUrl + "/v1/admin/contracts", admin, contract, 201).path("id")
                .asText();
        JsonNode client = system.post(system.apiUrl + "/v1/admin/contracts/" + contractId + "/clients", admin,
                Map.of("scopes", List.of("verify", "lookup", "usage")), 201);
        return new Party(kind, organisation, contractId, client.path("clientId").asText(),
                client.path("clientSecret").asText(), kind, purpose, share, lookupShare);
    }

    void write(Path file) {
        try {
            Files.createDirectories(file.getParent());
            Files.deleteIfExists(file);
            Files.createFile(file, PosixFilePermissions.asFileAttribute(PosixFilePermissions.fromString("rw-------")));
            SystemUnderTest.JSON.writerWithDefaultPrettyPrinter().writeValue(file.toFile(), this);
        } catch (IOException e) {
            throw new UncheckedIOException(e);
        }
    }

    static YearPlan read(Path file) {
        try {
            return SystemUnderTest.JSON.readValue(file.toFile(), YearPlan.class);
        } catch (IOException e) {
            throw new UncheckedIOException("cannot read the plan " + file, e);
        }
    }
}
