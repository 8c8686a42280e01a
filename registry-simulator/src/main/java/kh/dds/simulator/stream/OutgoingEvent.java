package kh.dds.simulator.stream;

import kh.dds.schema.event.EventType;

/**
 * One event ready to send: {@code key} is the person's KIdC, {@code value} the event's JSON. {@code number} counts
 * the events of the stream from 0. A {@code malformed} event has a valid envelope (KIdC, sequence, type) and a payload
 * that lacks its required fields, so that a consumer can still account for the person's sequence.
 */
public record OutgoingEvent(long number, String key, String value, EventType type, long sequence, boolean malformed) {
}
