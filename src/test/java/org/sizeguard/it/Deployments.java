package org.sizeguard.it;

import java.io.File;
import java.io.IOException;
import java.net.URI;
import java.net.URL;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.time.Duration;

import org.jboss.shrinkwrap.api.ShrinkWrap;
import org.jboss.shrinkwrap.api.importer.ZipImporter;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.sizeguard.it.endpoints.NamedPolicyEcho;
import org.sizeguard.it.user.UserEcho;
import org.sizeguard.it.usermetrics.UserMeterRegistry;
import org.sizeguard.it.usermetrics.UserMetricsServlet;
import org.sizeguard.it.user.UserEndpointsOnly;

/**
 * The archives the integration tests deploy: the WAR that {@code mvn package} built, as users deploy it, plus
 * the test-only endpoints of {@code org.sizeguard.it.endpoints} and a web.xml that configures them. Test classes
 * themselves stay out of the archives (black-box tests).
 */
final class Deployments {

    private Deployments() {
    }

    /** {@code target/sizeguard.war} with the test endpoints, deployed at {@code /sizeguard}. */
    static WebArchive sizeguardWithTestEndpoints() {
        return builtWar()
                .addPackage(NamedPolicyEcho.class.getPackage())
                .setWebXML(new File("src/test/resources/it/web.xml"));
    }

    /** {@code target/sizeguard.war} whose web.xml has an invalid size. */
    static WebArchive sizeguardWithInvalidSize() {
        return builtWar().setWebXML(new File("src/test/resources/it/invalid-web.xml"));
    }

    /**
     * A user's own WAR, {@code userapp.war}: the core jar {@code target/sizeguard-core.jar} in WEB-INF/lib, one
     * annotated endpoint and the ServerApplicationConfig the README asks for; nothing of the demo application.
     */
    static WebArchive userWarWithCoreJar() {
        return userWarWithCoreJar("userapp.war");
    }

    /**
     * {@code capped.war}, deployed at {@code /capped}: like {@link #userWarWithCoreJar()}, with a web.xml that caps
     * sessions at 5 in total and 3 per client address.
     */
    static WebArchive userWarWithSessionCaps() {
        return userWarWithCoreJar("capped.war").setWebXML(new File("src/test/resources/it/capped-web.xml"));
    }

    /**
     * {@code usermetrics.war}: like {@link #userWarWithCoreJar()}, with Micrometer's core jars in WEB-INF/lib, a
     * {@code MeterRegistry} bean of the user's ({@link UserMeterRegistry}) and a servlet that lists its
     * {@code sizeguard.*} meters ({@code /usermetrics/meters}).
     */
    static WebArchive userWarWithCoreJarAndMeterRegistry() {
        WebArchive war = userWarWithCoreJar("usermetrics.war").addClasses(UserMeterRegistry.class,
                UserMetricsServlet.class);
        File[] micrometer = new File("target/war-metrics/WEB-INF/lib").listFiles((dir, file) ->
                file.startsWith("micrometer-core-") || file.startsWith("micrometer-commons-")
                        || file.startsWith("micrometer-observation-") || file.startsWith("HdrHistogram-"));
        if (micrometer == null || micrometer.length != 4) {
            throw new IllegalStateException("Micrometer's jars are missing from target/war-metrics: run mvn verify");
        }
        return war.addAsLibraries(micrometer);
    }

    private static WebArchive userWarWithCoreJar(String name) {
        File core = new File("target/sizeguard-core.jar");
        if (!core.isFile()) {
            throw new IllegalStateException("target/sizeguard-core.jar is missing: run the integration tests with mvn verify");
        }
        return ShrinkWrap.create(WebArchive.class, name)
                .addAsLibrary(core)
                .addClasses(UserEcho.class, UserEndpointsOnly.class);
    }

    private static WebArchive builtWar() {
        File war = new File("target/sizeguard.war");
        if (!war.isFile()) {
            throw new IllegalStateException("target/sizeguard.war is missing: run the integration tests with mvn verify");
        }
        return ShrinkWrap.create(ZipImporter.class, "sizeguard.war").importFrom(war).as(WebArchive.class);
    }

    /** {@code ws://127.0.0.1:port/sizeguard/<path>} for the deployment at {@code base}. */
    static URI ws(URL base, String path) {
        return URI.create(http(base, path).toString().replaceFirst("^http", "ws"));
    }

    /**
     * {@code http://127.0.0.1:port/sizeguard/<path>}. The servers listen on 127.0.0.1 only, and the Payara adapter
     * reports {@code localhost}, which may resolve to ::1 first.
     */
    static URI http(URL base, String path) {
        String http = base.toExternalForm().replaceFirst("//localhost([:/])", "//127.0.0.1$1");
        return URI.create((http.endsWith("/") ? http : http + "/") + path);
    }

    /** The body of {@code GET http://127.0.0.1:port/sizeguard/<path>} (e.g. {@code stats}), within 10 seconds. */
    static String get(URL base, String path) throws IOException, InterruptedException {
        return HttpClient.newHttpClient().send(HttpRequest.newBuilder(http(base, path))
                .timeout(Duration.ofSeconds(10)).build(), HttpResponse.BodyHandlers.ofString()).body();
    }
}
