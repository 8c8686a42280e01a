package kh.dds.api.bulk.rest;

import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.UUID;
import kh.dds.api.bulk.job.BulkJobs;
import kh.dds.api.bulk.job.BulkJobs.ResultRow;
import kh.dds.schema.csv.CsvCell;

/**
 * A job's result rows written as they are read from the database, a page at a time, in input order: NDJSON (the
 * line's number, then the §4.1 answer or the line's problem) or CSV (a header, then one row a line; every cell
 * through {@link CsvCell}, so that no caller's text becomes a spreadsheet formula). Never the whole results in memory.
 */
final class ResultRows {

    static final String CSV_HEADER = "line,verificationId,reference,kidcStatus,decision,familyName,givenName,"
            + "dateOfBirth,sex,documentNumber,address,ageAtLeast,alive,residentInProvince,dataAsOf,problem,detail\n";
    private static final String[] CLAIMS = {"familyName", "givenName", "dateOfBirth", "sex", "documentNumber",
            "address"};
    private static final String[] CONDITIONS = {"ageAtLeast", "alive", "residentInProvince"};
    private static final int PAGE = 1000;
    private static final Duration WAIT = Duration.ofSeconds(30);

    private final BulkJobs jobs;
    private final ObjectMapper mapper;

    ResultRows(BulkJobs jobs, ObjectMapper mapper) {
        this.jobs = jobs;
        this.mapper = mapper;
    }

    void write(UUID jobId, long fromLine, boolean csv, OutputStream out) throws IOException {
        if (csv) {
            out.write(CSV_HEADER.getBytes(StandardCharsets.UTF_8));
        }
        long next = fromLine;
        while (true) {
            List<ResultRow> page = jobs.results(jobId, next, PAGE).await().atMost(WAIT);
            StringBuilder text = new StringBuilder(page.size() * 200);
            for (ResultRow row : page) {
                String result = row.result() != null ? row.result() : ended(row.chunkState());
                if (csv) {
                    csv(text, row.lineNo(), mapper.readTree(result));
                } else {
                    text.append("{\"line\":").append(row.lineNo()).append(',').append(result, 1, result.length())
                            .append('\n');
                }
            }
            out.write(text.toString().getBytes(StandardCharsets.UTF_8));
            out.flush();
            if (page.size() < PAGE) {
                return;
            }
            next = page.get(page.size() - 1).lineNo() + 1;
        }
    }

    /** The row of a line whose chunk ended without being verified. */
    private static String ended(String chunkState) {
        String type = "QUOTA_EXCEEDED".equals(chunkState) ? "quota-exceeded" : "cancelled";
        return "{\"problem\":{\"type\":\"" + type + "\"}}";
    }

    private static void csv(StringBuilder out, long line, JsonNode row) {
        out.append(line);
        cell(out, row.path("verificationId"));
        cell(out, row.path("reference"));
        cell(out, row.path("kidcStatus"));
        cell(out, row.path("decision"));
        for (String claim : CLAIMS) {
            cell(out, row.path("claims").path(claim));
        }
        for (String condition : CONDITIONS) {
            cell(out, row.path("conditions").path(condition));
        }
        cell(out, row.path("dataAsOf"));
        cell(out, row.path("problem").path("type"));
        cell(out, row.path("problem").path("detail"));
        out.append('\n');
    }

    private static void cell(StringBuilder out, JsonNode value) {
        out.append(',');
        if (!value.isMissingNode() && !value.isNull()) {
            out.append(CsvCell.of(value.asText()));
        }
    }
}
