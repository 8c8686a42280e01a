package kh.dds.api.call;

import java.time.Instant;
import kh.dds.api.auth.Caller;
import kh.dds.api.contract.Access;

/** An admitted personal-data call: who, under which terms, when, and its lookup id (the answer's id too). */
public record CallContext(String lookupId, Instant receivedAt, Caller caller, Access.Terms contract,
                          CallRequest request) {
}
