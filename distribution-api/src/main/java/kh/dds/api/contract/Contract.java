package kh.dds.api.contract;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Convert;
import jakarta.persistence.Entity;
import jakarta.persistence.EnumType;
import jakarta.persistence.Enumerated;
import jakarta.persistence.Id;
import jakarta.persistence.Table;
import jakarta.persistence.Version;
import java.time.Instant;
import java.time.LocalDate;
import java.util.List;
import java.util.UUID;
import org.hibernate.annotations.ColumnTransformer;

/** A relying party's contract (SPEC §4.7): what it may buy, for which purposes, which fields, at what pace. */
@Entity
@Table(name = "contract", schema = "api")
public class Contract extends PanacheEntityBase {

    @Id
    public UUID id;

    @Column(nullable = false)
    public String organisation;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ContractKind kind;

    @Column(name = "valid_from", nullable = false)
    public LocalDate validFrom;

    @Column(name = "valid_to")
    public LocalDate validTo;

    @Enumerated(EnumType.STRING)
    @Column(nullable = false)
    public ContractStatus status;

    @Convert(converter = JsonColumn.Strings.class)
    @ColumnTransformer(read = "products::text", write = "?::text::jsonb")
    @Column(name = "products", nullable = false, columnDefinition = "jsonb")
    public List<String> products;

    @Convert(converter = JsonColumn.Strings.class)
    @ColumnTransformer(read = "purposes::text", write = "?::text::jsonb")
    @Column(name = "purposes", nullable = false, columnDefinition = "jsonb")
    public List<String> purposes;

    @Convert(converter = JsonColumn.Strings.class)
    @ColumnTransformer(read = "data_policy::text", write = "?::text::jsonb")
    @Column(name = "data_policy", nullable = false, columnDefinition = "jsonb")
    public List<String> dataPolicy;

    @Column(name = "rate_limit_per_second", nullable = false)
    public int rateLimitPerSecond;

    public static final int DEFAULT_BULK_RETENTION_DAYS = 30;

    @Column(name = "monthly_quota")
    public Long monthlyQuota;

    @Column(name = "tariff_id")
    public UUID tariffId;

    @Column(name = "min_cell_size", nullable = false)
    public int minCellSize;

    @Column(name = "operator_id_required", nullable = false)
    public boolean operatorIdRequired;

    @Column(name = "confidential_until")
    public LocalDate confidentialUntil;

    /** Days a bulk job's results are kept after it ends (SPEC §4.3). */
    @Column(name = "bulk_retention_days", nullable = false)
    public int bulkRetentionDays = DEFAULT_BULK_RETENTION_DAYS;

    /** Bulk jobs open at once; {@code null}: {@code api.bulk.max-open-jobs}. */
    @Column(name = "bulk_max_open_jobs")
    public Integer bulkMaxOpenJobs;

    /** Lines a bulk job may hold; {@code null}: {@code api.bulk.max-lines-per-job}. */
    @Column(name = "bulk_max_lines_per_job")
    public Long bulkMaxLinesPerJob;

    @Column(name = "created_at", nullable = false)
    public Instant createdAt;

    @Column(name = "updated_at", nullable = false)
    public Instant updatedAt;

    @Version
    @Column(name = "row_version", nullable = false)
    public int rowVersion;
}
