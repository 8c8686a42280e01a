package kh.dds.disclosure;

/**
 * What the cell key method needs to know of a table cell: how many persons it counts and its cell key, the sum of
 * their record keys modulo the key range. The same persons give the same cell key whatever query counted them, which
 * is what makes their published count the same in every answer.
 */
public record Cell(int count, int key) {

    public static final Cell EMPTY = new Cell(0, 0);

    public Cell {
        if (count < 0 || key < 0) {
            throw new IllegalArgumentException("a cell's count and key are never negative");
        }
        if (count == 0 && key != 0) {
            throw new IllegalArgumentException("an empty cell has key 0");
        }
    }

    /** This cell with one more person, whose record key is {@code recordKey}. */
    public Cell with(int recordKey, int keyRange) {
        return new Cell(count + 1, Math.floorMod(key + recordKey, keyRange));
    }

    /** The cell counting the persons of both (disjoint) cells: how a margin is built from the cells it adds up. */
    public Cell plus(Cell other, int keyRange) {
        return new Cell(count + other.count, Math.floorMod(key + other.key, keyRange));
    }

    /** The cell of the persons with these record keys. */
    public static Cell of(int keyRange, int... recordKeys) {
        Cell cell = EMPTY;
        for (int recordKey : recordKeys) {
            cell = cell.with(recordKey, keyRange);
        }
        return cell;
    }
}
