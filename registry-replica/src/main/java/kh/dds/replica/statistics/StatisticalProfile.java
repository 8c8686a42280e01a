package kh.dds.replica.statistics;

import kh.dds.replica.person.PersonState;
import kh.dds.schema.event.PartialDate;
import kh.dds.schema.event.PersonStatus;
import kh.dds.schema.statistics.PopulationHistory;

/**
 * What the population history keeps of an active person: the values statistics group by, and the record key. A
 * person who is not active (deceased, retired, or without a readable record) has no profile and is counted nowhere.
 */
public record StatisticalProfile(String province, String district, String sex, Integer birthYmd,
                                 String maritalStatus, String citizenship, int recordKey) {

    /** The profile of this state, or {@code null} when the person is not counted. */
    public static StatisticalProfile of(PersonState state, PersonRecordKeys keys) {
        if (state.record() == null || state.status() != PersonStatus.ACTIVE) {
            return null;
        }
        PartialDate birth = state.birth();
        return new StatisticalProfile(state.province(), text(state, "address", "district"), state.sex(),
                birth == null ? null : PopulationHistory.ymd(birth.earliest()), text(state, "maritalStatus", null),
                text(state, "citizenship", null), keys.of(state.kidc()));
    }

    private static String text(PersonState state, String field, String inner) {
        var node = state.record().path(field);
        if (inner != null) {
            node = node.path(inner);
        }
        return node.isTextual() ? node.asText() : null;
    }
}
