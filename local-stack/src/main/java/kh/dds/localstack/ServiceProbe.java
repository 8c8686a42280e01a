package kh.dds.localstack;

import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.sql.Connection;
import java.sql.ResultSet;
import java.sql.SQLException;
import java.sql.Statement;
import java.time.Duration;
import java.util.Optional;

/** Does a server answer? Each probe returns why not, or empty when it does. */
public final class ServiceProbe {

    private ServiceProbe() {
    }

    /** A TCP connection opens. */
    public static Optional<String> tcp(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            return Optional.empty();
        } catch (IOException e) {
            return Optional.of(describe(e));
        }
    }

    /** A JDBC connection to the {@code postgres} database opens and answers {@code select 1}. */
    public static Optional<String> postgres(PostgresEndpoint endpoint, Duration timeout) {
        Optional<String> closed = tcp(endpoint.host(), endpoint.port(), timeout);
        if (closed.isPresent()) {
            return closed;
        }
        int seconds = (int) Math.max(1, timeout.toSeconds());
        try (Connection connection = endpoint.connect("postgres", seconds);
             Statement statement = connection.createStatement();
             ResultSet rows = statement.executeQuery("select 1")) {
            return rows.next() && rows.getInt(1) == 1 ? Optional.empty() : Optional.of("select 1 did not return 1");
        } catch (SQLException e) {
            return Optional.of(e.getMessage());
        }
    }

    /** {@code PING} gets {@code +PONG}. */
    public static Optional<String> redis(String host, int port, Duration timeout) {
        try (Socket socket = new Socket()) {
            socket.connect(new InetSocketAddress(host, port), (int) timeout.toMillis());
            socket.setSoTimeout((int) timeout.toMillis());
            OutputStream out = socket.getOutputStream();
            out.write("PING\r\n".getBytes(StandardCharsets.US_ASCII));
            out.flush();
            String reply = readLine(socket.getInputStream());
            return reply.equals("+PONG") ? Optional.empty() : Optional.of("PING answered " + reply);
        } catch (IOException e) {
            return Optional.of(describe(e));
        }
    }

    /** One line of a line-based protocol (Redis), without its CR LF. */
    static String readLine(InputStream in) throws IOException {
        StringBuilder line = new StringBuilder();
        int c;
        while ((c = in.read()) != -1 && c != '\n') {
            if (c != '\r') {
                line.append((char) c);
            }
        }
        return line.toString();
    }

    private static String describe(IOException e) {
        return e.getClass().getSimpleName() + (e.getMessage() == null ? "" : ": " + e.getMessage());
    }
}
