package kh.dds.api.contract;

public enum ContractStatus {
    ACTIVE, SUSPENDED, EXPIRED
}
