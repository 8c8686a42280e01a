package kh.dds.api.contract;

import java.util.List;

/** A contract as administered: its terms and its tariff history, the steps in date order. */
public record ContractWithTariffs(Contract contract, List<ContractTariff> tariffs) {
}
