package kh.dds.api.contract.rest;

import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import kh.dds.api.contract.Tariff;
import kh.dds.api.contract.TariffTier;

public record TariffView(UUID id, String name, String currency, Map<String, List<TariffTier>> products,
                         Instant createdAt) {

    public static TariffView of(Tariff t) {
        return new TariffView(t.id, t.name, t.currency, t.products, t.createdAt);
    }
}
