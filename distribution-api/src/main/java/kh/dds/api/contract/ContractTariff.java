package kh.dds.api.contract;

import io.quarkus.hibernate.reactive.panache.PanacheEntityBase;
import jakarta.persistence.Column;
import jakarta.persistence.Entity;
import jakarta.persistence.Id;
import jakarta.persistence.IdClass;
import jakarta.persistence.Table;
import java.io.Serializable;
import java.time.Instant;
import java.time.LocalDate;
import java.util.UUID;

/**
 * One step of a contract's tariff history: the tariff in effect from {@link #effectiveFrom} (a calendar day in
 * Asia/Phnom_Penh) until the next step's day. Billing prices each day's calls with the step in effect that day.
 */
@Entity
@Table(name = "contract_tariff", schema = "api")
@IdClass(ContractTariff.Key.class)
public class ContractTariff extends PanacheEntityBase {

    @Id
    @Column(name = "contract_id")
    public UUID contractId;

    @Id
    @Column(name = "effective_from")
    public LocalDate effectiveFrom;

    @Column(name = "tariff_id", nullable = false)
    public UUID tariffId;

    @Column(name = "assigned_at", nullable = false)
    public Instant assignedAt;

    /** The primary key: one step a contract and day. */
    public record Key(UUID contractId, LocalDate effectiveFrom) implements Serializable {
    }
}
