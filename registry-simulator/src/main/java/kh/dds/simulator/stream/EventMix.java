package kh.dds.simulator.stream;

import java.util.EnumMap;
import java.util.Map;
import java.util.StringJoiner;
import kh.dds.schema.event.EventType;
import kh.dds.simulator.population.WeightedChoice;

/**
 * The relative frequency of each kind of life event in a stream. The default: address changes are the most common,
 * then documents, births and marriages; deaths about a third of births (Cambodia's birth and death rates are about
 * 21 and 6 per 1,000); name changes are rare (in Cambodia a woman seldom takes her husband's name), corrections and
 * merges of duplicates rarer still.
 */
public final class EventMix {

    public static final String DEFAULT_SPEC = "AddressChanged=42,DocumentIssued=15,PersonRegistered=13,"
            + "CivilStatusChanged=12,DocumentRevoked=7,PersonDeceased=5,NameChanged=3,PersonCorrected=2,PersonMerged=1";

    private final EnumMap<EventType, Double> weights;
    private final EventType[] types;
    private final WeightedChoice choice;

    private EventMix(EnumMap<EventType, Double> weights) {
        this.weights = weights;
        this.types = weights.keySet().toArray(EventType[]::new);
        double[] values = new double[types.length];
        for (int i = 0; i < types.length; i++) {
            values[i] = weights.get(types[i]);
        }
        this.choice = new WeightedChoice(values);
    }

    public static EventMix defaultMix() {
        return parse(DEFAULT_SPEC);
    }

    /**
     * Parses {@code Type=weight,Type=weight,…} (event type names as on the wire; types not named do not occur), or
     * {@code default}.
     */
    public static EventMix parse(String spec) {
        boolean useDefault = spec == null || spec.isBlank() || spec.trim().equals("default");
        return parseEntries(useDefault ? DEFAULT_SPEC : spec);
    }

    private static EventMix parseEntries(String spec) {
        EnumMap<EventType, Double> weights = new EnumMap<>(EventType.class);
        for (String entry : spec.split(",")) {
            String[] parts = entry.trim().split("=");
            if (parts.length != 2) {
                throw new IllegalArgumentException("--mix: expected Type=weight, got '" + entry.trim() + "'");
            }
            EventType type = EventType.parse(parts[0].trim());
            if (type == null) {
                throw new IllegalArgumentException("--mix: unknown event type '" + parts[0].trim() + "'");
            }
            double weight;
            try {
                weight = Double.parseDouble(parts[1].trim());
            } catch (NumberFormatException e) {
                throw new IllegalArgumentException("--mix: weight of " + type + " is not a number");
            }
            if (weight < 0 || Double.isNaN(weight) || Double.isInfinite(weight)) {
                throw new IllegalArgumentException("--mix: weight of " + type + " must be zero or more");
            }
            if (weights.put(type, weight) != null) {
                throw new IllegalArgumentException("--mix: " + type + " given twice");
            }
        }
        weights.values().removeIf(weight -> weight == 0);
        if (weights.isEmpty()) {
            throw new IllegalArgumentException("--mix: no event type with a positive weight");
        }
        return new EventMix(weights);
    }

    public EventType pick(double unit) {
        return types[choice.pick(unit)];
    }

    public Map<EventType, Double> weights() {
        return Map.copyOf(weights);
    }

    @Override
    public String toString() {
        StringJoiner joiner = new StringJoiner(",");
        weights.forEach((type, weight) -> joiner.add(type + "=" + (weight == Math.rint(weight)
                ? Long.toString(weight.longValue()) : weight.toString())));
        return joiner.toString();
    }
}
