package kh.dds.schema.event;

/** A declared residential address: province, district, commune and village codes, each extending its parent's. */
public record Address(String province, String district, String commune, String village) {
}
