package kh.dds.api.notification.webhook;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.inject.Inject;
import java.net.Inet4Address;
import java.net.Inet6Address;
import java.net.InetAddress;
import java.net.URI;
import java.net.URISyntaxException;
import java.net.UnknownHostException;
import java.util.Locale;
import kh.dds.api.notification.NotificationConfig;

/**
 * Where a webhook may point (SPEC §4.5, SSRF): {@code https} in production; a host whose every address is public —
 * never loopback, private (RFC 1918, unique-local {@code fc00::/7}, shared {@code 100.64.0.0/10}), link-local (the
 * cloud metadata service at 169.254.169.254 among them), unspecified, multicast or reserved — unless an operator
 * allows loopback ({@code allow-loopback}: the local run and the tests) or the others ({@code allow-private}).
 *
 * <p>The check is made on the URL when it is registered and again, on each delivery, on the very address the sender
 * connects to: the delivery resolves the host, checks every address, and connects to a checked one (DNS rebinding
 * cannot swap in another between the check and the connection). Redirects are never followed.
 */
@ApplicationScoped
public class WebhookTargets {

    /** Why a URL or an address is refused. */
    public static final class Refused extends Exception {
        public Refused(String reason) {
            super(reason, null, false, false);
        }
    }

    private final boolean requireHttps;
    private final boolean allowLoopback;
    private final boolean allowPrivate;

    @Inject
    public WebhookTargets(NotificationConfig config) {
        this(config.webhook().requireHttps(), config.webhook().allowLoopback(), config.webhook().allowPrivate());
    }

    public WebhookTargets(boolean requireHttps, boolean allowLoopback, boolean allowPrivate) {
        this.requireHttps = requireHttps;
        this.allowLoopback = allowLoopback;
        this.allowPrivate = allowPrivate;
    }

    /** The URL, checked for its form (scheme, host, no credentials, no fragment); its addresses are not resolved. */
    public URI parse(String url) throws Refused {
        if (url == null || url.isBlank() || url.length() > 2048) {
            throw new Refused("a URL of at most 2048 characters is required");
        }
        URI uri;
        try {
            uri = new URI(url);
        } catch (URISyntaxException e) {
            throw new Refused("not a URL");
        }
        String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
        if (!scheme.equals("https") && !(scheme.equals("http") && !requireHttps)) {
            throw new Refused(requireHttps ? "the URL must be https" : "the URL must be http or https");
        }
        if (uri.getHost() == null || uri.getHost().isEmpty()) {
            throw new Refused("the URL names no host");
        }
        if (uri.getRawUserInfo() != null) {
            throw new Refused("the URL may not carry credentials");
        }
        if (uri.getRawFragment() != null) {
            throw new Refused("the URL may not carry a fragment");
        }
        return uri;
    }

    /** Resolves the URL's host and checks every address; gives the one to connect to. Blocking (DNS). */
    public InetAddress resolve(URI uri) throws Refused {
        InetAddress[] addresses;
        try {
            addresses = InetAddress.getAllByName(hostOf(uri));
        } catch (UnknownHostException e) {
            throw new Refused("the host does not resolve");
        }
        for (InetAddress address : addresses) {
            check(address);
        }
        return addresses[0];
    }

    /** Refuses an address the configuration does not allow. */
    public void check(InetAddress address) throws Refused {
        if (address.isLoopbackAddress()) {
            if (!allowLoopback) {
                throw new Refused("the host resolves to a loopback address");
            }
            return;
        }
        if (address.isAnyLocalAddress() || address.isMulticastAddress()) {
            throw new Refused("the host resolves to an address that is not a host's");
        }
        if (!allowPrivate && !isPublic(address)) {
            throw new Refused(address.isLinkLocalAddress() ? "the host resolves to a link-local address"
                    : "the host resolves to a private or reserved address");
        }
    }

    private static String hostOf(URI uri) {
        String host = uri.getHost();
        return host.startsWith("[") && host.endsWith("]") ? host.substring(1, host.length() - 1) : host;
    }

    static boolean isPublic(InetAddress address) {
        if (address.isLinkLocalAddress() || address.isSiteLocalAddress() || address.isLoopbackAddress()
                || address.isAnyLocalAddress() || address.isMulticastAddress()) {
            return false;
        }
        byte[] b = address.getAddress();
        if (address instanceof Inet4Address) {
            int first = b[0] & 0xff;
            int second = b[1] & 0xff;
            return !(first == 0                                     // this network
                    || first == 100 && second >= 64 && second < 128 // shared address space (CGNAT)
                    || first == 192 && second == 0 && (b[2] & 0xff) == 0 // IETF protocol assignments
                    || first == 192 && second == 0 && (b[2] & 0xff) == 2 // documentation
                    || first == 198 && (second == 18 || second == 19)   // benchmarking
                    || first == 198 && second == 51 && (b[2] & 0xff) == 100
                    || first == 203 && second == 0 && (b[2] & 0xff) == 113
                    || first >= 240);                               // reserved, broadcast
        }
        if (address instanceof Inet6Address) {
            int first = b[0] & 0xff;
            if ((first & 0xfe) == 0xfc) {
                return false;                                       // unique local fc00::/7
            }
            if (first == 0x20 && (b[1] & 0xff) == 0x01 && (b[2] & 0xff) == 0x0d && (b[3] & 0xff) == 0xb8) {
                return false;                                       // documentation 2001:db8::/32
            }
            if (first == 0x00) {
                return false;                                       // ::/8 (v4-compatible, mapped, unspecified)
            }
            return true;
        }
        return false;
    }
}
