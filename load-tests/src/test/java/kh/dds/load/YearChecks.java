package kh.dds.load;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.time.LocalDate;
import java.time.YearMonth;
import java.time.ZoneId;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;

/**
 * What a regulator checks after a national year ({@link NationalYearSimulation}), against the generator's own count
 * of the answers each relying party received ({@code answered.json}):
 * <ol>
 *   <li><b>audited exactly once</b>: per contract, the ledger's billable records of the run's days equal the calls
 *       answered {@code 200};</li>
 *   <li><b>metered exactly once</b>: billing's metered count and the API's own counters equal the same, per contract
 *       and day (billing's reconciliation), once the consumers have caught up;</li>
 *   <li><b>charged by the tariff</b>: billing's charges for the month (its draft invoice, priced by the invoice run's
 *       code) equal the tariff's graduated arithmetic done here, independently, over the answered counts;</li>
 *   <li><b>integrity</b>: the ledger's hash chains and signed checkpoints verify over the run.</li>
 * </ol>
 * Prints one line a check and a table of differences, writes {@code checks.json} beside the plan, and exits 1 when
 * anything differs.
 *
 * <pre>
 * java -cp … kh.dds.load.YearChecks RUN_DIR [STARTED_AT]
 * </pre>
 */
public final class YearChecks {

    private static final ZoneId PHNOM_PENH = ZoneId.of("Asia/Phnom_Penh");
    private static final Duration CATCH_UP = Duration.ofMinutes(15);

    public static void main(String[] args) throws Exception {
        if (args.length < 1) {
            System.err.println("usage: YearChecks RUN_DIR [STARTED_AT]");
            System.exit(2);
        }
        Path runDir = Path.of(args[0]);
        SystemUnderTest system = new SystemUnderTest();
        YearPlan plan = YearPlan.read(runDir.resolve("plan.json"));
        JsonNode answered = SystemUnderTest.JSON.readTree(runDir.resolve("answered.json").toFile());
        Instant finished = Instant.parse(answered.path("finishedAt").asText());
        Instant started = args.length > 1 ? Instant.parse(args[1]) : finished.minus(Duration.ofHours(1));
        List<LocalDate> days = new ArrayList<>();
        for (LocalDate day = LocalDate.ofInstant(started, PHNOM_PENH);
             !day.isAfter(LocalDate.ofInstant(finished, PHNOM_PENH)); day = day.plusDays(1)) {
            days.add(day);
        }

        Map<String, Map<String, Long>> ok = new TreeMap<>();
        long calls = 0;
        long okCalls = 0;
        for (YearPlan.Party party : plan.parties()) {
            JsonNode byProduct = answered.path("answers").path(party.contractId());
            Map<String, Long> products = new TreeMap<>();
            byProduct.fields().forEachRemaining(product -> product.getValue().fields().forEachRemaining(status -> {
                if (status.getKey().equals("200")) {
                    products.merge(product.getKey(), status.getValue().asLong(), Long::sum);
                }
            }));
            for (JsonNode product : byProduct) {
                for (JsonNode count : product) {
                    calls += count.asLong();
                }
            }
            okCalls += products.values().stream().mapToLong(Long::longValue).sum();
            ok.put(party.contractId(), products);
        }

        String admin = system.adminToken();
        ObjectNode report = SystemUnderTest.JSON.createObjectNode();
        report.put("calls", calls);
        report.put("answered200", okCalls);
        ArrayNode differences = report.putArray("differences");

        // 1 and 2: the ledger, the meter and the API's counters, once caught up
        Instant deadline = Instant.now().plus(CATCH_UP);
        Map<String, long[]> counted;
        while (true) {
            counted = reconciliation(system, admin, days);
            boolean caughtUp = true;
            for (YearPlan.Party party : plan.parties()) {
                long expected = ok.get(party.contractId()).values().stream().mapToLong(Long::longValue).sum();
                long[] c = counted.getOrDefault(party.contractId(), new long[3]);
                caughtUp &= c[0] == expected && c[1] == expected && c[2] == expected;
            }
            if (caughtUp || Instant.now().isAfter(deadline)) {
                break;
            }
            Thread.sleep(5_000);
        }
        long audited = 0;
        long metered = 0;
        for (YearPlan.Party party : plan.parties()) {
            long expected = ok.get(party.contractId()).values().stream().mapToLong(Long::longValue).sum();
            long[] c = counted.getOrDefault(party.contractId(), new long[3]);
            audited += c[0];
            metered += c[1];
            if (c[0] != expected || c[1] != expected || c[2] != expected) {
                differences.addObject().put("contract", party.contractId()).put("check", "counts")
                        .put("answered200", expected).put("audited", c[0]).put("metered", c[1]).put("api", c[2]);
            }
        }
        report.put("audited", audited);
        report.put("metered", metered);
        System.out.printf("answered 200: %,d of %,d calls; audited (billable) %,d; metered %,d%n", okCalls, calls,
                audited, metered);

        // 3: charges
        YearMonth month = YearMonth.from(LocalDate.ofInstant(finished, PHNOM_PENH));
        long charged = 0;
        long expectedCharges = 0;
        for (YearPlan.Party party : plan.parties()) {
            YearPlan.Tariff tariff = plan.tariffs().get(party.tariff());
            long expected = 0;
            for (Map.Entry<String, Long> product : ok.get(party.contractId()).entrySet()) {
                expected += price(tariff.products().get(product.getKey()), product.getValue());
            }
            JsonNode draft = system.get(system.billingUrl + "/v1/contracts/" + party.contractId()
                    + "/invoices/draft?month=" + month, admin);
            long amount = draft.path("amount").asLong();
            charged += amount;
            expectedCharges += expected;
            if (amount != expected) {
                differences.addObject().put("contract", party.contractId()).put("check", "charges")
                        .put("tariffArithmetic", expected).put("billing", amount);
            }
        }
        report.put("chargedRiel", charged);
        report.put("tariffArithmeticRiel", expectedCharges);
        System.out.printf("charges for %s: billing %,d riel, the tariffs' arithmetic over the answered counts %,d%n",
                month, charged, expectedCharges);

        // 4: integrity over the run
        JsonNode integrity = system.get(system.apiUrl + "/v1/audit/integrity?from=" + started, admin);
        report.set("integrity", integrity);
        System.out.printf("ledger integrity from %s: intact=%s, %,d entries, %d lanes, %d checkpoints verified%n",
                started, integrity.path("intact").asBoolean(), integrity.path("entries").asLong(),
                integrity.path("lanes").asInt(), integrity.path("checkpointsVerified").asLong());
        if (!integrity.path("intact").asBoolean()) {
            differences.addObject().put("check", "integrity").set("report", integrity);
        }

        System.out.printf("differences: %d%n", differences.size());
        for (JsonNode difference : differences) {
            System.out.println("  " + difference);
        }
        try {
            SystemUnderTest.JSON.writerWithDefaultPrettyPrinter().writeValue(runDir.resolve("checks.json").toFile(),
                    report);
        } catch (IOException e) {
            System.err.println("could not write checks.json: " + e);
        }
        System.exit(differences.isEmpty() ? 0 : 1);
    }

    /** Per contract: audited, metered and the API's count of billable calls, summed over {@code days}. */
    private static Map<String, long[]> reconciliation(SystemUnderTest system, String admin, List<LocalDate> days) {
        Map<String, long[]> counts = new LinkedHashMap<>();
        for (LocalDate day : days) {
            JsonNode report = system.get(system.billingUrl + "/v1/admin/reconciliation?date=" + day, admin);
            for (JsonNode contract : report.path("contracts")) {
                long[] c = counts.computeIfAbsent(contract.path("contractId").asText(), key -> new long[3]);
                c[0] += contract.path("audited").asLong();
                c[1] += contract.path("metered").asLong();
                c[2] += contract.path("api").asLong();
            }
        }
        return counts;
    }

    /**
     * The month's price of {@code units} under graduated {@code tiers} ({@code upTo} of -1: unbounded), written here
     * apart from billing's code so that the two can be held against each other: the n-th unit of the month is priced
     * by the tier whose range holds n.
     */
    static long price(List<long[]> tiers, long units) {
        if (tiers == null) {
            return 0;
        }
        long total = 0;
        long below = 0;
        for (long[] tier : tiers) {
            long ceiling = tier[0] < 0 ? Long.MAX_VALUE : tier[0];
            long inTier = Math.max(0, Math.min(units, ceiling) - below);
            total = Math.addExact(total, Math.multiplyExact(inTier, tier[1]));
            below = ceiling;
            if (units <= ceiling) {
                break;
            }
        }
        return total;
    }
}
