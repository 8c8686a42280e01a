package kh.dds.console;

import static io.restassured.RestAssured.given;
import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertFalse;
import static org.junit.jupiter.api.Assertions.assertTrue;

import io.restassured.http.ContentType;
import java.io.File;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.sql.Connection;
import java.sql.Statement;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.UUID;
import kh.dds.localstack.ApiNodeKeys;
import kh.dds.localstack.KafkaTopics;
import kh.dds.localstack.KeycloakProcess;
import kh.dds.localstack.LocalServices;
import kh.dds.localstack.QuarkusProcess;
import kh.dds.localstack.ServiceRole;
import kh.dds.localstack.TopicSpec;
import kh.dds.schema.kidc.Kidc;
import kh.dds.schema.kidc.KidcKind;
import kh.dds.schema.event.Topics;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.openqa.selenium.By;
import org.openqa.selenium.OutputType;
import org.openqa.selenium.TakesScreenshot;
import org.openqa.selenium.WebDriver;
import org.openqa.selenium.WebElement;
import org.openqa.selenium.chrome.ChromeDriver;
import org.openqa.selenium.chrome.ChromeDriverService;
import org.openqa.selenium.chrome.ChromeOptions;
import org.openqa.selenium.support.ui.ExpectedConditions;
import org.openqa.selenium.support.ui.WebDriverWait;

/**
 * The console in a real browser (headless Chromium driven by Selenium, one browser for the class) against the real
 * Keycloak of the build and the packaged API and console as processes: each role signs in through Keycloak's login
 * page, sees its own pages and is refused the others'. An administrator creates a contract (its name in Khmer),
 * issues a client whose secret is shown once and works against the API, then revokes it, and the API refuses the
 * revoked client's token; an auditor finds that client's verification and runs the integrity check; a viewer cannot
 * open another contract's page (URL tampering); an administrator changes the contract's terms (data policy among them)
 * and the API holds them, hostile values refused beside their field; a viewer follows its contract's real bulk job and
 * cannot open another contract's jobs. Screenshots of each page go to {@code target/screenshots}.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class ConsoleBrowserIT {

    private static final String DATABASE = "dds_console_it";
    private static final int REDIS_DB = 6;
    private static final String ADMIN_SECRET = "console-it-admin-secret";
    private static final String ORGANISATION = "ធនាគារ សាកល្បង " + new Random().nextInt(10_000);
    private static final String TARIFF = "Banks " + new Random().nextInt(10_000);

    private static LocalServices services;
    private static KeycloakProcess keycloak;
    private static QuarkusProcess api;
    private static QuarkusProcess billing;
    private static QuarkusProcess console;
    private static WebDriver browser;
    private static String kidc;
    /** Set by the administrator's test, read by the auditor's and the viewer's. */
    private static String issuedClient;
    private static String contractId;

    @BeforeAll
    static void startEverything() throws Exception {
        services = LocalServices.get();
        keycloak = KeycloakProcess.shared();
        kidc = prepareDatabase();
        KafkaTopics.ensure(services.kafkaBootstrapServers(), List.of(
                TopicSpec.parse(Topics.PERSON_CHANGES + ":4:cleanup.policy=compact"),
                TopicSpec.parse(Topics.LOOKUP_RECORDS + ":4"), TopicSpec.parse(Topics.LOOKUP_RECORDS + ".dlq:1")));
        api = QuarkusProcess.start("distribution-api", Path.of(System.getProperty("api.jar")), apiSettings());
        api.awaitReady(Duration.ofSeconds(180));
        // billing migrates after the API (it reads the API's tables)
        billing = QuarkusProcess.start("billing", Path.of(System.getProperty("billing.jar")), billingSettings());
        Map<String, String> consoleSettings = new HashMap<>();
        consoleSettings.put("QUARKUS_PROFILE", "local");
        consoleSettings.put("DDS_KEYCLOAK_ISSUER", keycloak.issuer());
        consoleSettings.put("CONSOLE_API_URL", api.url());
        consoleSettings.put("CONSOLE_BILLING_URL", billing.url());
        console = QuarkusProcess.start("console", Path.of(System.getProperty("console.jar")), consoleSettings);
        billing.awaitReady(Duration.ofSeconds(180));
        console.awaitReady(Duration.ofSeconds(180));
        // the console is a client of the registry at Keycloak: registered with the API, under no contract
        given().baseUri(api.url()).auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("scopes", List.of("admin", "audit", "usage"), "issuer", keycloak.issuer(),
                        "clientId", "dds-console"))
                .post("/v1/admin/clients").then().statusCode(201);
        browser = Browser.start();
    }

    @AfterAll
    static void stopEverything() throws Exception {
        if (browser != null) {
            browser.quit();
        }
        for (QuarkusProcess process : new QuarkusProcess[] {console, billing, api}) {
            if (process != null) {
                process.close();
            }
        }
    }

    @Test
    @Order(1)
    void anAdministratorCreatesAContractIssuesAClientAndRevokesIt() throws Exception {
        signIn("sokha.admin", "demo-admin");
        assertTrue(text(By.id("signed-in-as")).contains("សុខា"), "the Khmer name is shown");
        shot("home-admin");
        // the keyboard's first stop is the link past the menu
        new org.openqa.selenium.interactions.Actions(browser).sendKeys(org.openqa.selenium.Keys.TAB).perform();
        assertEquals("Skip to content", browser.switchTo().activeElement().getText());
        signedIn().get("/").then().statusCode(200)
                .header("Content-Security-Policy", org.hamcrest.Matchers.containsString("script-src 'self'"))
                .header("X-Frame-Options", "DENY");

        open("/admin/tariffs");
        browser.findElement(By.id("name")).sendKeys(TARIFF);
        browser.findElement(By.id("create-tariff")).click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("tariffs"), TARIFF));
        shot("tariffs");

        open("/admin/contracts");
        browser.findElement(By.id("organisation")).sendKeys(ORGANISATION);
        new org.openqa.selenium.support.ui.Select(browser.findElement(By.id("tariffId"))).selectByVisibleText(TARIFF);
        browser.findElement(By.id("create-contract")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("contract-id")));
        contractId = text(By.id("contract-id"));
        assertEquals(ORGANISATION, text(By.tagName("h1")));
        shot("contract");

        browser.findElement(By.id("issue-client")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("client-secret")));
        issuedClient = text(By.id("client-id"));
        String secret = browser.findElement(By.id("client-secret")).getAttribute("value");
        assertFalse(secret.isBlank(), "the secret is shown once");
        shot("client-secret");

        String token = apiToken(issuedClient, secret);
        verify(token, 200);

        browser.findElement(By.id("back-to-contract")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("revoke-" + issuedClient)));
        assertFalse(browser.getPageSource().contains(secret), "the secret is never shown again");
        browser.findElement(By.id("revoke-" + issuedClient)).click();
        wait(ExpectedConditions.textToBe(By.cssSelector("tr[data-client='" + issuedClient + "'] .client-status"),
                "REVOKED"));
        shot("client-revoked");
        verify(token, 401);

        browser.findElement(By.id("suspend")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("resume")));
        assertEquals("SUSPENDED", text(By.id("contract-status")));

        // the same change forged from elsewhere, with the administrator's session but not the page's token
        for (String forged : new String[] {null, "forged-token"}) {
            var request = signedIn().contentType(ContentType.URLENC).formParam("status", "ACTIVE");
            if (forged != null) {
                request.formParam("csrf", forged);
            }
            request.post("/admin/contracts/" + contractId + "/status").then().statusCode(403);
        }
        browser.navigate().refresh();
        assertEquals("SUSPENDED", text(By.id("contract-status")), "no forged change was made");

        open("/audit/records");
        assertEquals(403, statusShown(), "an administrator is not an auditor");
    }

    @Test
    @Order(2)
    void anAuditorFindsTheVerificationAndRunsTheIntegrityCheck() throws Exception {
        signIn("chenda.auditor", "demo-auditor");
        open("/audit/records?client=" + issuedClient);
        wait(ExpectedConditions.presenceOfElementLocated(By.id("records")));
        // the ledger consumer writes the record shortly after the answer
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (!browser.findElement(By.id("records")).getText().contains(kidc) && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            browser.navigate().refresh();
        }
        assertTrue(text(By.id("records")).contains(kidc), "the verification made a moment ago is found");
        shot("audit-records");

        open("/audit/integrity");
        browser.findElement(By.id("run-integrity")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("integrity-result")));
        assertTrue(text(By.id("integrity-result")).startsWith("Intact"), text(By.id("integrity-result")));
        shot("audit-integrity");

        open("/audit/activity");
        String activity = text(By.id("activity"));
        assertTrue(activity.contains("sokha.admin") && activity.contains("client.revoke"),
                "what the administrator did is recorded: " + activity);
        assertTrue(activity.contains("chenda.auditor") && activity.contains("audit.integrity"));
        shot("audit-activity");

        String csv = signedIn().get("/audit/records.csv?client=" + issuedClient).then().statusCode(200)
                .header("Content-Type", org.hamcrest.Matchers.startsWith("text/csv")).extract().asString();
        assertTrue(csv.startsWith("occurredAt,") && csv.contains(kidc), "the export holds the record");

        open("/admin/contracts");
        assertEquals(403, statusShown(), "an auditor is not an administrator");
    }

    @Test
    @Order(3)
    void aViewerSeesItsContractsUsageChartAndNoOtherContracts() throws Exception {
        // the relying party's viewer, bound at Keycloak to the contract the administrator created
        keycloak.realm().bindContract("dara.viewer", contractId);
        signIn("dara.viewer", "demo-viewer");
        assertTrue(browser.findElement(By.linkText("Usage and invoices")).isDisplayed());
        assertTrue(browser.findElements(By.linkText("Contracts")).isEmpty(), "no administrator's menu");
        shot("home-viewer");

        open("/usage");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("usage-table")));
        // billing meters the verification of the administrator's test from the lookup records
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        while (browser.findElements(By.cssSelector("#usage-table td.billable")).isEmpty()
                && System.nanoTime() < deadline) {
            Thread.sleep(1_000);
            browser.navigate().refresh();
        }
        assertEquals(contractId, text(By.id("usage-contract")));
        assertEquals("1", text(By.cssSelector("#usage-table td.billable")), "the one verification, billed");
        wait(ExpectedConditions.attributeToBe(By.id("usage-chart"), "data-drawn", "1"));
        assertFalse(browser.findElements(By.cssSelector("#usage-chart svg")).isEmpty(), "the chart is drawn");
        shot("usage-viewer");

        // the month closed early (this run's grace is negative): its invoice, 1 verification at 400 riel
        String month = java.time.YearMonth.now(java.time.ZoneId.of("Asia/Phnom_Penh")).toString();
        given().baseUri(billing.url()).auth().oauth2(adminToken()).post("/v1/admin/invoices/close?month=" + month)
                .then().statusCode(200);
        open("/usage");
        browser.findElement(By.cssSelector("#invoices a")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("invoice-total")));
        assertEquals("400", text(By.id("invoice-total")));
        shot("invoice");

        open("/usage/" + UUID.randomUUID());
        assertEquals(404, statusShown(), "another contract's page does not exist for a viewer");
        open("/admin/contracts");
        assertEquals(403, statusShown());
        open("/audit/records");
        assertEquals(403, statusShown());
    }

    @Test
    @Order(4)
    void anAdministratorEditsTheTermsAndTheApiHoldsThem() throws Exception {
        signIn("sokha.admin", "demo-admin");
        open("/admin/contracts/" + contractId);
        // a purpose the API refuses: its words shown beside the field, what was entered kept
        WebElement purposes = browser.findElement(By.id("terms-purposes"));
        purposes.clear();
        purposes.sendKeys("KYC_ACCOUNT_OPENING, lower-case");
        browser.findElement(By.id("save-terms")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("purposes-error")));
        assertTrue(text(By.id("purposes-error")).contains("upper-case"), text(By.id("purposes-error")));
        assertEquals("true", browser.findElement(By.id("terms-purposes")).getAttribute("aria-invalid"));
        assertEquals("KYC_ACCOUNT_OPENING, lower-case",
                browser.findElement(By.id("terms-purposes")).getAttribute("value"));
        scrollTo(By.id("terms"));
        shot("contract-terms-refused");

        purposes = browser.findElement(By.id("terms-purposes"));
        purposes.clear();
        purposes.sendKeys("KYC_ACCOUNT_OPENING, ACCOUNT_REVIEW");
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].value = '2030-12-31'",
                browser.findElement(By.id("validTo")));
        tick(By.cssSelector("input[name=products][value=BULK_VERIFY]"), true);
        tick(By.id("policy-dateOfBirth"), false);
        tick(By.id("policy-address"), true);
        browser.findElement(By.id("save-terms")).click();
        wait(ExpectedConditions.textToBePresentInElementLocated(By.id("contract-policy"), "address"));
        assertFalse(text(By.id("contract-policy")).contains("dateOfBirth"));
        shot("contract-terms");
        // the change is the API's: what a relying party's call is now answered with
        var contract = given().baseUri(api.url()).auth().oauth2(adminToken()).get("/v1/admin/contracts/" + contractId)
                .then().statusCode(200).extract().jsonPath();
        assertEquals(List.of("familyName", "givenName", "address"), contract.getList("dataPolicy.fields"));
        assertTrue(contract.getList("products").contains("BULK_VERIFY"));
        assertEquals(List.of("KYC_ACCOUNT_OPENING", "ACCOUNT_REVIEW"), contract.getList("purposes"));
        assertEquals("2030-12-31", contract.getString("validTo"));

        // hostile values sent past the browser: each refused with the field's error, never a 500
        String csrf = browser.findElement(By.cssSelector("form[action$='/terms'] input[name=csrf]"))
                .getAttribute("value");
        Map<String, String> hostile = new java.util.LinkedHashMap<>();
        hostile.put("purposes", "KYC\u0000");
        hostile.put("validTo", "2030-12-31\u0001");
        hostile.put("products", "VERIFY\u0000");
        hostile.put("dataPolicy", "address\u001b");
        for (Map.Entry<String, String> value : hostile.entrySet()) {
            hostileTerms(csrf, value.getKey(), value.getValue());
        }
        hostileTerms(csrf, "purposes", "A".repeat(10_000));
        hostileTerms(csrf, "purposes", "ការផ្ទៀងផ្ទាត់");
        hostileTerms(csrf, "validTo", "ថ្ងៃស្អែក");
        hostileTerms(csrf, "dataPolicy", "salary");
        given().baseUri(api.url()).auth().oauth2(adminToken()).get("/v1/admin/contracts/" + contractId)
                .then().statusCode(200).body("purposes", org.hamcrest.Matchers.hasSize(2));
        // and the forms that create: a contract's organisation, a tariff's name
        for (String value : new String[] {"ធនាគារ\u0000", "Bank\u0007", "B".repeat(10_000)}) {
            String page = signedIn().contentType(ContentType.URLENC.withCharset(StandardCharsets.UTF_8))
                    .formParam("csrf", csrf).formParam("organisation", value).formParam("kind", "BANK")
                    .formParam("validFrom", "2026-01-01").formParam("products", "VERIFY")
                    .formParam("purposes", "KYC_ACCOUNT_OPENING").post("/admin/contracts")
                    .then().statusCode(400).contentType(org.hamcrest.Matchers.startsWith("text/html"))
                    .extract().asString();
            assertTrue(page.contains("organisation: "), page);
            signedIn().contentType(ContentType.URLENC.withCharset(StandardCharsets.UTF_8))
                    .formParam("csrf", csrf).formParam("name", value).formParam("verifyPrice", "400")
                    .post("/admin/tariffs").then().statusCode(400)
                    .contentType(org.hamcrest.Matchers.startsWith("text/html"));
        }

        browser.navigate().refresh();
        browser.findElement(By.id("resume")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("suspend")));
    }

    @Test
    @Order(5)
    void aViewerFollowsItsContractsBulkJobAndNoOtherContracts() throws Exception {
        String job = bulkJob(contractId, 3);
        // another relying party's job, which the viewer must never see
        String otherContract = given().baseUri(api.url()).auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("organisation", "Another ministry", "kind", "MINISTRY",
                        "validFrom", java.time.LocalDate.now(java.time.ZoneId.of("Asia/Phnom_Penh")).toString(),
                        "products", List.of("BULK_VERIFY"), "purposes", List.of("KYC_ACCOUNT_OPENING"),
                        "dataPolicy", Map.of("fields", List.of("familyName")), "rateLimitPerSecond", 10,
                        "operatorIdRequired", true))
                .post("/v1/admin/contracts").then().statusCode(201).extract().path("id");
        String otherJob = bulkJob(otherContract, 1);

        signIn("dara.viewer", "demo-viewer");
        browser.findElement(By.linkText("Bulk jobs and webhook")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("bulk-jobs")));
        assertEquals(contractId, text(By.id("bulk-contract")));
        By row = By.cssSelector("tr[data-job='" + job + "']");
        assertEquals("COMPLETED", browser.findElement(row).findElement(By.className("job-status")).getText());
        assertEquals("3", browser.findElement(row).findElement(By.className("job-lines")).getText());
        assertTrue(browser.findElements(By.cssSelector("tr[data-job='" + otherJob + "']")).isEmpty(),
                "another contract's job is not listed");
        assertEquals("0", text(By.id("webhook-parked")));
        shot("bulk-viewer");

        browser.findElement(By.linkText(job)).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("job-status")));
        assertEquals("COMPLETED", text(By.id("job-status")));
        assertEquals("3", text(By.id("job-done")));
        assertEquals("100", browser.findElement(By.id("job-progress")).getAttribute("value"));
        shot("bulk-job");

        // URL tampering: the other contract's pages and its job, by their ids
        open("/bulk/" + otherContract);
        assertEquals(404, statusShown(), "another contract's bulk page does not exist for a viewer");
        open("/bulk/jobs/" + otherJob);
        assertEquals(404, statusShown(), "nor does its job: the API finds none for the viewer's contract");
        open("/bulk/jobs/not-a-job");
        assertEquals(404, statusShown());
    }

    /** A real bulk job of {@code lines} lines of the one person, uploaded by a client with scope bulk, finished. */
    private static String bulkJob(String contract, int lines) throws Exception {
        var credentials = given().baseUri(api.url()).auth().oauth2(adminToken()).contentType(ContentType.JSON)
                .body(Map.of("scopes", List.of("bulk"))).post("/v1/admin/contracts/" + contract + "/clients")
                .then().statusCode(201).extract().jsonPath();
        String token = apiToken(credentials.getString("clientId"), credentials.getString("clientSecret"));
        StringBuilder body = new StringBuilder();
        for (int line = 1; line <= lines; line++) {
            body.append("{\"kidc\":\"").append(kidc).append("\",\"reference\":\"r-").append(line)
                    .append("\",\"claims\":{\"familyName\":\"KEO\"}}\n");
        }
        String job = given().baseUri(api.url()).auth().oauth2(token).header("X-Operator-Id", "clerk-1")
                .queryParam("purpose", "KYC_ACCOUNT_OPENING").contentType("application/x-ndjson")
                .body(body.toString().getBytes(StandardCharsets.UTF_8)).post("/v1/bulk-verifications")
                .then().statusCode(202).extract().path("id");
        long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
        String status = "";
        while (!"COMPLETED".equals(status) && System.nanoTime() < deadline) {
            Thread.sleep(500);
            status = given().baseUri(api.url()).auth().oauth2(token).get("/v1/bulk-verifications/" + job)
                    .then().statusCode(200).extract().path("status");
        }
        assertEquals("COMPLETED", status, "the bulk job finished");
        return job;
    }

    /** A value of the terms form sent as it is, with the page's own CSRF token: refused beside its field. */
    private static void hostileTerms(String csrf, String field, String value) {
        Map<String, String> form = new HashMap<>(Map.of("csrf", csrf, "purposes", "KYC_ACCOUNT_OPENING",
                "products", "VERIFY", "dataPolicy", "familyName"));
        form.put(field, value);
        String page = signedIn().contentType(ContentType.URLENC.withCharset(StandardCharsets.UTF_8))
                .formParams(form).post("/admin/contracts/" + contractId + "/terms")
                .then().statusCode(400).contentType(org.hamcrest.Matchers.startsWith("text/html"))
                .extract().asString();
        assertTrue(page.contains("id=\"" + field + "-error\""), field + " " + value.length() + ": " + page);
    }

    private static void scrollTo(By by) {
        ((org.openqa.selenium.JavascriptExecutor) browser).executeScript("arguments[0].scrollIntoView()",
                browser.findElement(by));
    }

    private static void tick(By box, boolean ticked) {
        WebElement element = browser.findElement(box);
        if (element.isSelected() != ticked) {
            element.click();
        }
    }

    // ------------------------------------------------------------------ the browser

    /** Signs out whoever was signed in (both sites' cookies), then signs in at Keycloak's own login page. */
    private static void signIn(String username, String password) {
        // every cookie of the browser: the console's session and Keycloak's single sign-on alike
        ((ChromeDriver) browser).executeCdpCommand("Network.clearBrowserCookies", Map.of());
        browser.get(console.url() + "/");
        wait(ExpectedConditions.presenceOfElementLocated(By.id("username")));
        assertTrue(browser.getCurrentUrl().startsWith(keycloak.issuer()), "signed in at Keycloak");
        browser.findElement(By.id("username")).sendKeys(username);
        browser.findElement(By.id("password")).sendKeys(password);
        browser.findElement(By.id("kc-login")).click();
        wait(ExpectedConditions.presenceOfElementLocated(By.id("signed-in-as")));
    }

    /** Requests to the console outside the browser, with the browser's cookies (its signed-in session). */
    private static io.restassured.specification.RequestSpecification signedIn() {
        Map<String, String> cookies = new HashMap<>();
        browser.manage().getCookies().forEach(cookie -> cookies.put(cookie.getName(), cookie.getValue()));
        return given().baseUri(console.url()).redirects().follow(false).cookies(cookies);
    }

    private static void open(String path) {
        browser.get(console.url() + path);
    }

    /** The status the console's error page states, or 200 for any other page of the console. */
    private static int statusShown() {
        if (!browser.findElements(By.id("problem")).isEmpty()) {
            String body = browser.findElement(By.tagName("main")).getText();
            return Integer.parseInt(body.replaceAll("(?s).*Status (\\d{3}).*", "$1"));
        }
        return browser.findElements(By.id("signed-in-as")).isEmpty() ? -1 : 200;
    }

    private static String text(By by) {
        return browser.findElement(by).getText().strip();
    }

    private static void wait(org.openqa.selenium.support.ui.ExpectedCondition<?> condition) {
        new WebDriverWait(browser, Duration.ofSeconds(30)).until(condition);
    }

    private static void shot(String name) throws Exception {
        Path dir = Path.of(System.getProperty("screenshots", "target/screenshots"));
        Files.createDirectories(dir);
        File file = ((TakesScreenshot) browser).getScreenshotAs(OutputType.FILE);
        Files.copy(file.toPath(), dir.resolve(name + ".png"), java.nio.file.StandardCopyOption.REPLACE_EXISTING);
    }

    // ------------------------------------------------------------------ the services

    private static String adminToken() {
        return apiToken("dds-admin", ADMIN_SECRET);
    }

    private static String apiToken(String clientId, String secret) {
        return given().baseUri(api.url()).contentType(ContentType.URLENC)
                .formParam("grant_type", "client_credentials").formParam("client_id", clientId)
                .formParam("client_secret", secret).post("/oauth/token")
                .then().statusCode(200).extract().path("access_token");
    }

    private static void verify(String token, int status) {
        given().baseUri(api.url()).auth().oauth2(token).header("X-Operator-Id", "teller-1")
                .contentType(ContentType.JSON)
                .body("{\"kidc\":\"" + kidc + "\",\"purpose\":\"KYC_ACCOUNT_OPENING\"}")
                .post("/v1/verifications").then().statusCode(status);
    }

    private static Map<String, String> apiSettings() {
        Map<String, String> settings = new HashMap<>(services.postgres().as(ServiceRole.API, "")
                .quarkusEnvironment(DATABASE));
        settings.put("QUARKUS_REDIS_HOSTS", services.redisUrl(REDIS_DB));
        settings.put("QUARKUS_REDIS_COUNTERS_HOSTS", services.countersRedisUrl(REDIS_DB));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        settings.putAll(new ApiNodeKeys(Path.of(System.getProperty("api.test-keys"))).environment(ADMIN_SECRET));
        // Keycloak's tokens beside the API's own: configuration alone
        settings.put("JAVA_TOOL_OPTIONS", String.join(" ",
                "-Dapi.token.trusted-issuers.keycloak.issuer=" + keycloak.issuer(),
                "-Dapi.token.trusted-issuers.keycloak.jwks=" + keycloak.jwksUrl(),
                "-Dapi.token.trusted-issuers.keycloak.people-clients=dds-console"));
        return settings;
    }

    private static Map<String, String> billingSettings() {
        Map<String, String> settings = new HashMap<>(services.postgres().as(ServiceRole.BILLING, "")
                .quarkusEnvironment(DATABASE));
        settings.put("QUARKUS_REDIS_COUNTERS_HOSTS", services.countersRedisUrl(REDIS_DB));
        settings.put("KAFKA_BOOTSTRAP_SERVERS", services.kafkaBootstrapServers());
        settings.put("BILLING_CLOSE_GRACE", "-P40D");
        settings.put("MP_JWT_VERIFY_PUBLICKEY_LOCATION",
                Path.of(System.getProperty("api.test-keys")).resolve("jwks.json").toString());
        settings.put("JAVA_TOOL_OPTIONS", String.join(" ",
                "-Dbilling.token.trusted-issuers.keycloak.issuer=" + keycloak.issuer(),
                "-Dbilling.token.trusted-issuers.keycloak.jwks=" + keycloak.jwksUrl(),
                "-Dbilling.token.trusted-issuers.keycloak.people-clients=dds-console"));
        return settings;
    }

    /** A fresh database: the replica's read model with one person; the API migrates its own schemas. */
    private static String prepareDatabase() throws Exception {
        services.postgres().ensureDatabase(DATABASE);
        String person = Kidc.random(new Random(), KidcKind.CITIZEN).value();
        try (Connection connection = services.postgres().connect(DATABASE);
             Statement statement = connection.createStatement();
             InputStream in = ConsoleBrowserIT.class.getResourceAsStream("/db/replica/V1__replica.sql")) {
            for (String schema : List.of("replica", "api", "audit", "billing")) {
                statement.execute("DROP SCHEMA IF EXISTS " + schema + " CASCADE");
            }
            statement.execute("DROP TABLE IF EXISTS public.api_schema_history, public.billing_schema_history");
            services.postgres().ensureRoles(DATABASE);
            statement.execute("SET ROLE " + ServiceRole.REPLICA.roleName());
            statement.execute("SET search_path TO replica");
            statement.execute(new String(in.readAllBytes(), StandardCharsets.UTF_8));
            statement.execute("""
                    INSERT INTO replica.person (kidc, version, status, sex, record, last_event_at) VALUES ('%s',
                    1, 'ACTIVE', 'F', '{"familyNameLatin":"KEO","givenNameLatin":"SOPHEA","familyNameKh":"កែវ",
                    "givenNameKh":"សុភា","sex":"F","dateOfBirth":"1985-02-03","address":{"province":"01"}}',
                    now())""".formatted(person));
        }
        return person;
    }

    /** Debian's Chromium and chromedriver, found on the PATH (Selenium Manager downloads nothing). */
    static final class Browser {

        static WebDriver start() {
            Path driver = onPath("chromedriver");
            Path chromium = onPath("chromium");
            ChromeOptions options = new ChromeOptions();
            options.setBinary(chromium.toFile());
            options.addArguments("--headless=new", "--no-sandbox", "--disable-dev-shm-usage", "--disable-gpu",
                    "--window-size=1280,900", "--lang=en");
            ChromeDriverService service = new ChromeDriverService.Builder().usingDriverExecutable(driver.toFile())
                    .usingAnyFreePort().build();
            return new ChromeDriver(service, options);
        }

        private static Path onPath(String name) {
            for (String dir : System.getenv().getOrDefault("PATH", "").split(File.pathSeparator)) {
                Path candidate = Path.of(dir, name);
                if (Files.isExecutable(candidate)) {
                    return candidate;
                }
            }
            throw new IllegalStateException(name + " is not on the PATH: install Debian's chromium and "
                    + "chromium-driver (.ci/run does when they are missing)");
        }
    }
}
