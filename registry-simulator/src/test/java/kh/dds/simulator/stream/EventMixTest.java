package kh.dds.simulator.stream;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.util.Map;
import kh.dds.schema.event.EventType;
import org.junit.jupiter.api.Test;

class EventMixTest {

    @Test
    void theDefaultMixNamesEveryEventType() {
        Map<EventType, Double> weights = EventMix.defaultMix().weights();
        assertEquals(EventType.values().length, weights.size());
        assertEquals(weights, EventMix.parse("default").weights());
        assertEquals(weights, EventMix.parse(EventMix.defaultMix().toString()).weights(), "toString parses back");
        double largest = weights.values().stream().mapToDouble(Double::doubleValue).max().orElseThrow();
        assertEquals(largest, weights.get(EventType.AddressChanged), "address changes are the most common");
    }

    @Test
    void aMixPicksOnlyTheTypesItNames() {
        EventMix mix = EventMix.parse("AddressChanged=3, PersonDeceased=1, NameChanged=0");
        assertEquals(Map.of(EventType.AddressChanged, 3.0, EventType.PersonDeceased, 1.0), mix.weights());
        assertEquals(EventType.AddressChanged, mix.pick(0.0));
        assertEquals(EventType.AddressChanged, mix.pick(0.74));
        assertEquals(EventType.PersonDeceased, mix.pick(0.76));
        assertEquals(EventType.PersonDeceased, mix.pick(0.999999));
    }

    @Test
    void aWrongMixIsRefusedWithTheReason() {
        assertThrows(IllegalArgumentException.class, () -> EventMix.parse("Moved=1"));
        assertThrows(IllegalArgumentException.class, () -> EventMix.parse("AddressChanged"));
        assertThrows(IllegalArgumentException.class, () -> EventMix.parse("AddressChanged=-1"));
        assertThrows(IllegalArgumentException.class, () -> EventMix.parse("AddressChanged=0"));
        assertThrows(IllegalArgumentException.class, () -> EventMix.parse("AddressChanged=1,AddressChanged=2"));
    }
}
