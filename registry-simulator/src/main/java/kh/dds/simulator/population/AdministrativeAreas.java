package kh.dds.simulator.population;

import java.util.SplittableRandom;
import kh.dds.schema.event.Address;
import kh.dds.schema.event.Place;

/**
 * A synthetic administrative tree under the 25 real provinces, stable for a seed: 5–14 districts per province, 5–12
 * communes per district, 5–15 villages per commune, each coded as its parent's code plus two digits
 * ({@code 12} → {@code 1203} → {@code 120307} → {@code 12030711}).
 *
 * <p>A village is named by an int key {@code ((province·16 + district)·16 + commune)·16 + village} (0-based indices),
 * which is what the population keeps for an address.
 */
public final class AdministrativeAreas {

    private static final long SALT = 0x41524541L;

    private final Provinces provinces;
    private final int[] districts;
    private final int[][] communes;
    private final int[][][] villages;
    private final Address[] addressByKey;
    private final Place[] placeByKey;

    public AdministrativeAreas(long seed, Provinces provinces) {
        this.provinces = provinces;
        int count = provinces.count();
        SplittableRandom random = new SplittableRandom(SeededHash.of(seed, SALT, 0));
        districts = new int[count];
        communes = new int[count][];
        villages = new int[count][][];
        addressByKey = new Address[count * 16 * 16 * 16];
        placeByKey = new Place[count * 16 * 16 * 16];
        for (int p = 0; p < count; p++) {
            String province = provinces.get(p).code();
            districts[p] = 5 + random.nextInt(10);
            communes[p] = new int[districts[p]];
            villages[p] = new int[districts[p]][];
            for (int d = 0; d < districts[p]; d++) {
                String district = province + twoDigits(d + 1);
                communes[p][d] = 5 + random.nextInt(8);
                villages[p][d] = new int[communes[p][d]];
                for (int c = 0; c < communes[p][d]; c++) {
                    String commune = district + twoDigits(c + 1);
                    villages[p][d][c] = 5 + random.nextInt(11);
                    Place place = new Place(province, district, commune);
                    for (int v = 0; v < villages[p][d][c]; v++) {
                        int key = key(p, d, c, v);
                        addressByKey[key] = new Address(province, district, commune, commune + twoDigits(v + 1));
                        placeByKey[key] = place;
                    }
                }
            }
        }
    }

    private static String twoDigits(int n) {
        return n < 10 ? "0" + n : Integer.toString(n);
    }

    public static int key(int province, int district, int commune, int village) {
        return ((province * 16 + district) * 16 + commune) * 16 + village;
    }

    public static int provinceOf(int key) {
        return key >>> 12;
    }

    /** The key of the commune's first village: two keys with the same commune key are in the same commune. */
    public static int communeOf(int key) {
        return key & ~0xF;
    }

    public Provinces provinces() {
        return provinces;
    }

    public int districtCount(int province) {
        return districts[province];
    }

    public int communeCount(int province, int district) {
        return communes[province][district];
    }

    public int villageCount(int province, int district, int commune) {
        return villages[province][district][commune];
    }

    /** A village of the province, each district, commune and village of its parent equally likely. */
    public int villageIn(int province, long hash) {
        SplittableRandom random = new SplittableRandom(hash);
        int d = random.nextInt(districts[province]);
        int c = random.nextInt(communes[province][d]);
        int v = random.nextInt(villages[province][d][c]);
        return key(province, d, c, v);
    }

    /** A village in the same commune as {@code key}. */
    public int villageInCommune(int key, long hash) {
        int p = key >>> 12;
        int d = (key >>> 8) & 0xF;
        int c = (key >>> 4) & 0xF;
        return key(p, d, c, SeededHash.below(hash, villages[p][d][c]));
    }

    public Address address(int key) {
        Address address = addressByKey[key];
        if (address == null) {
            throw new IllegalArgumentException("no village with key " + key);
        }
        return address;
    }

    /** The commune-level place of the village {@code key} (a place of birth). */
    public Place place(int key) {
        Place place = placeByKey[key];
        if (place == null) {
            throw new IllegalArgumentException("no village with key " + key);
        }
        return place;
    }
}
