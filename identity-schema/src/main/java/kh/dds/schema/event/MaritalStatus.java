package kh.dds.schema.event;

public enum MaritalStatus {
    SINGLE, MARRIED, DIVORCED, WIDOWED
}
