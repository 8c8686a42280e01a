package kh.dds.api.contract;

public enum ClientStatus {
    ACTIVE, REVOKED
}
