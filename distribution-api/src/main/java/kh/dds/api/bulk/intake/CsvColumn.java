package kh.dds.api.bulk.intake;

import java.util.Arrays;
import java.util.stream.Collectors;

/** The columns a CSV upload may name in its header (SPEC §4.3), each the §4.1 field it stands for. */
enum CsvColumn {
    KIDC("kidc"),
    REFERENCE("reference"),
    FAMILY_NAME("familyName"),
    GIVEN_NAME("givenName"),
    DATE_OF_BIRTH("dateOfBirth"),
    SEX("sex"),
    DOCUMENT_NUMBER("documentNumber"),
    PROVINCE("province"),
    AGE_AT_LEAST("ageAtLeast"),
    ALIVE("alive"),
    RESIDENT_IN_PROVINCE("residentInProvince");

    /** Every header name, for a refusal that tells the caller what is accepted. */
    static final String NAMES = Arrays.stream(values()).map(CsvColumn::header).collect(Collectors.joining(", "));

    private final String header;

    CsvColumn(String header) {
        this.header = header;
    }

    String header() {
        return header;
    }

    /** The column a header cell names (exactly, case included), or {@code null}. */
    static CsvColumn named(String name) {
        for (CsvColumn column : values()) {
            if (column.header.equals(name)) {
                return column;
            }
        }
        return null;
    }
}
