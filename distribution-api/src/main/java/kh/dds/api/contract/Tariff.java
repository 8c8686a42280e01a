package kh.dds.api.contract;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A price list: per product, graduated tiers per calendar month, in whole riel. */
@Entity
@Table(name = "tariff", schema = "api")
public class Tariff extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String name;

    @Column(nullable = false)
    public String currency;

    @Convert(converter = JsonColumn.Tiers.class)
    @ColumnTransformer(read = "products::text", write = "?::text::jsonb")
    @Column(name = "products", nullable = false, columnDefinition = "jsonb")
    public Map<String, List<TariffTier>> products;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;
}
