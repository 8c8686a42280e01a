package kh.dds.simulator.population;

/** One of Cambodia's 25 provinces (Phnom Penh counted among them), with its approximate population. */
public record Province(String code, String nameLatin, String nameKhmer, long population) {
}
