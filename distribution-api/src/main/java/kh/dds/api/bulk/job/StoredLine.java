package kh.dds.api.bulk.job;

/**
 * One line as written at upload: an accepted line's request as canonical JSON, or a refused line's problem.
 *
 * @param kidc the KIdC as sent (bounded), when known: the line's audit subject
 */
public record StoredLine(long lineNo, String kidc, String request, String problemType, String problemDetail) {
}
