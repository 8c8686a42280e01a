package kh.dds.localstack;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.HashMap;
import java.util.Locale;
import java.util.Map;

/**
 * An HTTP/1.1 request written byte for byte over a socket, for the tests that send what no HTTP library would: a
 * malformed percent-escape or a control character in a path, a header a client would refuse to set. One request a
 * connection ({@code Connection: close}), the answer read to the end.
 */
public final class RawHttp {

    private RawHttp() {
    }

    /** An answer as it came off the wire: its status, headers (names in lower case) and body. */
    public record Answer(int status, Map<String, String> headers, String body) {
    }

    /**
     * @param target the request target as it goes on the request line, not encoded further
     * @param body   {@code null} for none; sent with its {@code Content-Length} and {@code contentType}
     */
    public static Answer send(int port, String method, String target, Map<String, String> headers, byte[] body,
                              String contentType) throws IOException {
        try (Socket socket = new Socket("127.0.0.1", port)) {
            socket.setSoTimeout(60_000);
            ByteArrayOutputStream request = new ByteArrayOutputStream();
            request.write(latin1(method + " " + target + " HTTP/1.1\r\nHost: localhost\r\nConnection: close\r\n"));
            for (Map.Entry<String, String> header : headers.entrySet()) {
                request.write(latin1(header.getKey() + ": " + header.getValue() + "\r\n"));
            }
            if (body != null) {
                request.write(latin1("Content-Type: " + contentType + "\r\nContent-Length: " + body.length + "\r\n"));
            }
            request.write(latin1("\r\n"));
            if (body != null) {
                request.write(body);
            }
            OutputStream out = socket.getOutputStream();
            out.write(request.toByteArray());
            out.flush();
            String answer = new String(socket.getInputStream().readAllBytes(), StandardCharsets.ISO_8859_1);
            int end = answer.indexOf("\r\n\r\n");
            String[] lines = (end < 0 ? answer : answer.substring(0, end)).split("\r\n");
            Map<String, String> received = new HashMap<>();
            for (int i = 1; i < lines.length; i++) {
                int colon = lines[i].indexOf(':');
                if (colon > 0) {
                    received.put(lines[i].substring(0, colon).trim().toLowerCase(Locale.ROOT),
                            lines[i].substring(colon + 1).trim());
                }
            }
            String[] statusLine = lines[0].split(" ");
            if (statusLine.length < 2) {
                throw new IOException("no HTTP answer: '" + lines[0] + "'");
            }
            return new Answer(Integer.parseInt(statusLine[1]), received, end < 0 ? "" : answer.substring(end + 4));
        }
    }

    private static byte[] latin1(String text) {
        return text.getBytes(StandardCharsets.ISO_8859_1);
    }
}
