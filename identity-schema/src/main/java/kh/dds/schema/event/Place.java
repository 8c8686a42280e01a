package kh.dds.schema.event;

/** A place of birth: province, district and commune codes, each extending its parent's. */
public record Place(String province, String district, String commune) {
}
