package kh.dds.api.notification.webhook;

import static org.junit.jupiter.api.Assertions.assertDoesNotThrow;
import static org.junit.jupiter.api.Assertions.assertThrows;

import java.net.InetAddress;
import java.net.URI;
import org.junit.jupiter.api.Test;

/** SSRF rules of webhook URLs, with production settings and with the local run's. */
class WebhookTargetsTest {

    private final WebhookTargets production = new WebhookTargets(true, false, false);
    private final WebhookTargets local = new WebhookTargets(false, true, false);

    @Test
    void productionRequiresHttps() {
        assertThrows(WebhookTargets.Refused.class, () -> production.parse("http://example.org/hook"));
        assertDoesNotThrow(() -> production.parse("https://example.org/hook"));
    }

    @Test
    void loopbackOnlyWhenAllowed() throws Exception {
        assertThrows(WebhookTargets.Refused.class, () -> production.check(InetAddress.getByName("127.0.0.1")));
        assertThrows(WebhookTargets.Refused.class, () -> production.check(InetAddress.getByName("::1")));
        assertThrows(WebhookTargets.Refused.class, () -> production.resolve(URI.create("https://localhost/hook")));
        assertDoesNotThrow(() -> local.check(InetAddress.getByName("127.0.0.1")));
    }

    @Test
    void privateLinkLocalAndReservedAreRefusedEvenWhereLoopbackIsAllowed() {
        for (String address : new String[] {"10.1.2.3", "172.16.0.1", "192.168.0.1", "169.254.169.254", "100.64.0.1",
                "0.0.0.0", "224.0.0.1", "255.255.255.255", "fd12::1", "fe80::1", "::ffff:10.0.0.1", "198.18.0.1"}) {
            assertThrows(WebhookTargets.Refused.class, () -> local.check(InetAddress.getByName(address)), address);
            assertThrows(WebhookTargets.Refused.class, () -> production.check(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void publicAddressesAreAllowed() {
        for (String address : new String[] {"93.184.216.34", "8.8.8.8", "2606:4700::1111"}) {
            assertDoesNotThrow(() -> production.check(InetAddress.getByName(address)), address);
        }
    }

    @Test
    void credentialsAndFragmentsAreRefused() {
        assertThrows(WebhookTargets.Refused.class, () -> production.parse("https://u:p@example.org/"));
        assertThrows(WebhookTargets.Refused.class, () -> production.parse("https://example.org/#x"));
        assertThrows(WebhookTargets.Refused.class, () -> production.parse("https:///nohost"));
    }
}
