package kh.dds.api.verification.matching;

import com.fasterxml.jackson.databind.ObjectMapper;
import com.fasterxml.jackson.databind.node.ArrayNode;
import com.fasterxml.jackson.databind.node.ObjectNode;

/** Registry records for the tests, in the registry's field names. */
final class Registry {

    static final ObjectMapper JSON = new ObjectMapper();

    private Registry() {
    }

    /** SOK DARA / សុខ ដារ៉ា, born 1990-05-17, province 12, one valid and one revoked national ID. */
    static ObjectNode sokDara() {
        ObjectNode person = JSON.createObjectNode();
        person.put("familyNameKh", "សុខ");
        person.put("givenNameKh", "ដារ៉ា");
        person.put("familyNameLatin", "SOK");
        person.put("givenNameLatin", "DARA");
        person.put("sex", "M");
        person.put("dateOfBirth", "1990-05-17");
        ObjectNode place = person.putObject("placeOfBirth");
        place.put("province", "17").put("district", "1702").put("commune", "170203");
        person.put("nationality", "KHM");
        person.put("citizenship", "KHM");
        person.put("maritalStatus", "SINGLE");
        person.putArray("parents").add("1000000028");
        person.putArray("children");
        address(person, "12", "1201", "120101", "12010101");
        ArrayNode documents = person.putArray("documents");
        document(documents, "NATIONAL_ID", "010203040", "2020-01-15", "2030-01-14", "VALID");
        document(documents, "NATIONAL_ID", "998877665", "2010-01-15", "2020-01-14", "REVOKED");
        return person;
    }

    static ObjectNode address(ObjectNode person, String... levels) {
        ObjectNode address = person.putObject("address");
        for (int i = 0; i < levels.length; i++) {
            address.put(AddressClaim.LEVELS.get(i), levels[i]);
        }
        return person;
    }

    static void document(ArrayNode documents, String type, String number, String issuedOn, String expiresOn,
                         String status) {
        ObjectNode document = documents.addObject();
        document.put("type", type);
        document.put("number", number);
        document.put("issuedOn", issuedOn);
        if (expiresOn != null) {
            document.put("expiresOn", expiresOn);
        }
        document.put("status", status);
    }

    static ObjectNode withNames(String familyKh, String givenKh, String familyLatin, String givenLatin) {
        ObjectNode person = sokDara();
        put(person, "familyNameKh", familyKh);
        put(person, "givenNameKh", givenKh);
        put(person, "familyNameLatin", familyLatin);
        put(person, "givenNameLatin", givenLatin);
        return person;
    }

    static ObjectNode withDateOfBirth(String date) {
        ObjectNode person = sokDara();
        put(person, "dateOfBirth", date);
        return person;
    }

    private static void put(ObjectNode node, String field, String value) {
        if (value == null) {
            node.remove(field);
        } else {
            node.put(field, value);
        }
    }
}
