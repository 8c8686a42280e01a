package kh.dds.api.contract;

public enum ContractKind {
    BANK, TELCO, MINISTRY, OTHER
}
