package kh.dds.replica.status;

import static org.junit.jupiter.api.Assertions.assertTrue;

import io.quarkus.test.common.ResourceArg;
import io.quarkus.test.common.WithTestResource;
import io.quarkus.test.junit.QuarkusTest;
import io.restassured.RestAssured;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import kh.dds.localstack.LocalServicesResource;
import kh.dds.replica.ReplicaTestSupport;
import org.junit.jupiter.api.Test;

/**
 * The replica's HTTP endpoints under hostile requests, written byte for byte on a socket (an HTTP client would clean
 * them up first): whatever the request holds, the answer is never a server error, and the replica answers properly
 * afterwards.
 */
@QuarkusTest
@WithTestResource(value = LocalServicesResource.class, initArgs = {
        @ResourceArg(name = "database", value = "dds_replica_test"),
        @ResourceArg(name = "topics", value = ReplicaTestSupport.TOPICS)})
class HostileStatusRequestsTest {

    private static final List<String> PATHS = List.of("/v1/replica/status", "/q/health", "/q/health/ready",
            "/q/metrics", "/q/openapi");

    @Test
    void noHostileRequestGetsAServerError() throws IOException {
        List<String> targets = new ArrayList<>();
        for (String path : PATHS) {
            targets.add(path + "?x=%00");
            targets.add(path + "?x=%");
            targets.add(path + "?x=%zz&%G1=1");
            targets.add(path + "?x=%C3%28&y=%ED%A0%80&z=%FF%FE");
            targets.add(path + "?x=" + "A".repeat(3_000));
            targets.add(path + "?x=" + "%00".repeat(1_000));
            targets.add(path + "?" + "a=1&".repeat(700));
            targets.add(path + "?x=%u0000&y=\\u0000&z=%%%%");
            targets.add(path + "?x=" + "A".repeat(100_000));
            targets.add(path + "%00");
            targets.add(path + "/%00");
            targets.add(path + "/..%2f..%2fetc%2fpasswd");
            targets.add(path + "%C3%28");
            targets.add(path + ";jsessionid=%00");
        }
        targets.add("/v1/replica/%2e%2e/status");
        targets.add("/%");
        targets.add("//v1//replica//status");
        targets.add("/v1/replica/status/" + "x/".repeat(2_000));
        List<String> unanswered = new ArrayList<>();
        for (String target : targets) {
            boolean answered = assertNoServerError("GET " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n",
                    target.length() > 80 ? target.substring(0, 80) + "… (" + target.length() + " characters)" : target);
            if (!answered) {
                unanswered.add(target.substring(0, Math.min(80, target.length())));
            }
        }
        assertTrue(unanswered.isEmpty(), "every request line that is HTTP gets an answer: " + unanswered);
        byte[] nul = "GET /v1/replica/status?x=\u0000 HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n\r\n"
                .getBytes(StandardCharsets.ISO_8859_1);
        assertNoServerError(nul, "a NUL byte in the request line");
        byte[] binary = new byte[] {'G', 'E', 'T', ' ', '/', (byte) 0xFF, (byte) 0xC3, '(', ' ', 'H', 'T', 'T', 'P',
                '/', '1', '.', '1', '\r', '\n', '\r', '\n'};
        assertNoServerError(binary, "bytes that are not UTF-8 in the path");
        assertNoServerError("GET /v1/replica/status HTTP/1.1\r\nHost: localhost\r\nX-Big: " + "A".repeat(20_000)
                + "\r\nConnection: close\r\n\r\n", "a 20 kB header");
        assertNoServerError("GET /v1/replica/status HTTP/1.1\r\nHost: localhost\r\nAccept: \u0001\u0002"
                + "\r\nConnection: close\r\n\r\n", "control characters in a header");
        assertNoServerError("POST /v1/replica/status HTTP/1.1\r\nHost: localhost\r\nContent-Type: application/json"
                + "\r\nContent-Length: 9\r\nConnection: close\r\n\r\n{\"x\":\u0000}", "a body where none belongs");
        assertNoServerError("GET /v1/replica/status HTTP/1.1\r\nHost: localhost\r\nAccept: application/xml"
                + "\r\nConnection: close\r\n\r\n", "an Accept the endpoint cannot give");

        RestAssured.given().get("/v1/replica/status").then().statusCode(200);
        RestAssured.given().get("/q/health").then().statusCode(200);
    }

    private static boolean assertNoServerError(String request, String what) throws IOException {
        return assertNoServerError(request.getBytes(StandardCharsets.UTF_8), what);
    }

    /**
     * Sends the bytes as they are; the answer, if any, must not be a 5xx (closing the connection is no server
     * error). Returns whether there was an answer.
     */
    private static boolean assertNoServerError(byte[] request, String what) throws IOException {
        String statusLine = exchange(request);
        if (statusLine.isEmpty()) {
            return false;
        }
        assertTrue(statusLine.matches("HTTP/1\\.[01] \\d{3}.*"), what + ": " + statusLine);
        int status = Integer.parseInt(statusLine.substring(9, 12));
        assertTrue(status < 500, what + " answered " + statusLine);
        return true;
    }

    private static String exchange(byte[] request) throws IOException {
        try (Socket socket = new Socket("localhost", RestAssured.port)) {
            socket.setSoTimeout(10_000);
            OutputStream out = socket.getOutputStream();
            try {
                out.write(request);
                out.flush();
            } catch (IOException e) {
                // the server may close the connection before reading a request that long
            }
            InputStream in = socket.getInputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            try {
                int b;
                while ((b = in.read()) != -1 && b != '\n') {
                    line.write(b);
                }
            } catch (SocketTimeoutException e) {
                throw new AssertionError("no answer within 10 s", e);
            } catch (IOException e) {
                // reset by the server: no answer
            }
            return line.toString(StandardCharsets.ISO_8859_1).trim();
        }
    }
}
