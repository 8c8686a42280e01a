package kh.dds.console;

import io.smallrye.config.ConfigMapping;

/** Where the console's data lives. */
@ConfigMapping(prefix = "console")
public interface ConsoleConfig {

    /** The distribution API's base URL (default {@code http://127.0.0.1:8080}, bin/dds-up's). */
    String apiUrl();

    /** Billing's base URL (default {@code http://127.0.0.1:8082}). */
    String billingUrl();

    /** The key form tokens are signed with (HMAC-SHA256), at least 32 characters; {@code DDS_CONSOLE_CSRF_KEY}. */
    String csrfKey();
}
