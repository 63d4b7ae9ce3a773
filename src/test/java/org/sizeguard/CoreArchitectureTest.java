package org.sizeguard;

import static com.tngtech.archunit.base.DescribedPredicate.not;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.belongToAnyOf;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAPackage;
import static com.tngtech.archunit.core.domain.JavaClass.Predicates.resideInAnyPackage;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.classes;
import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;
import org.sizeguard.internal.BoundedInflater;
import org.sizeguard.internal.DeployedApplication;
import org.sizeguard.internal.GenericTypes;
import org.sizeguard.internal.JsonString;
import org.sizeguard.internal.MemoryBudget;
import org.sizeguard.internal.Utf8;

/**
 * The core (everything under {@code org.sizeguard} but {@code org.sizeguard.app}) is the jar users drop into
 * their own WAR. Containers deploy every {@code @ServerEndpoint} and {@code ServerApplicationConfig} they find
 * in {@code WEB-INF/lib}, so the core must contain neither, and it must not need the demo application.
 * <p>
 * Layers: the demo application uses the API and the codecs; the codecs use the API and a few helpers of the
 * implementation (UTF-8 counting, type-argument resolution, JSON string writing, bounded inflation, the budget
 * and the deployed application, each written once); the API uses nothing of the implementation (the implementation depends on it,
 * never the other way, so no import cycle runs through it); no class names a container's classes outside that
 * container's adapter.
 */
class CoreArchitectureTest {

    private static final String CORE = "org.sizeguard..";
    private static final String APP = "org.sizeguard.app..";

    private static final JavaClasses PRODUCTION = new ClassFileImporter()
            .withImportOption(ImportOption.Predefined.DO_NOT_INCLUDE_TESTS)
            .importPackages("org.sizeguard");

    @Test
    void coreNeverDependsOnTheApplication() {
        ArchRule rule = noClasses().that().resideInAPackage(CORE).and().resideOutsideOfPackage(APP)
                .should().dependOnClassesThat().resideInAPackage(APP);

        rule.check(PRODUCTION);
    }

    @Test
    void theApiUsesNothingOfTheImplementationSoNoImportCycleRunsThroughIt() {
        ArchRule rule = noClasses().that().resideInAPackage("org.sizeguard")
                .should().dependOnClassesThat().resideInAPackage("org.sizeguard.internal..");

        rule.check(PRODUCTION);
    }

    @Test
    void theCodecsUseTheApiAndOnlyTheUtf8TypeJsonStringAndBudgetHelpersOfTheImplementation() {
        // The budget: decoders that hold bytes of their own (InflatingDecoder) reserve them like every other holder.
        ArchRule rule = noClasses().that().resideInAPackage("org.sizeguard.codec..")
                .should().dependOnClassesThat(resideInAPackage("org.sizeguard.internal..")
                        .and(not(belongToAnyOf(Utf8.class, GenericTypes.class, JsonString.class,
                                DeployedApplication.class, MemoryBudget.class, BoundedInflater.class))));

        rule.check(PRODUCTION);
    }

    @Test
    void theApplicationUsesOnlyTheApiAndTheCodecs() {
        ArchRule rule = noClasses().that().resideInAPackage(APP)
                .should().dependOnClassesThat().resideInAPackage("org.sizeguard.internal..");

        rule.check(PRODUCTION);
    }

    @Test
    void noClassNamesTyrusOrUndertowOutsideTheirAdapters() {
        ArchRule tyrus = noClasses().that().resideInAPackage(CORE).and().resideOutsideOfPackage("..adapter.tyrus..")
                .should().dependOnClassesThat().resideInAnyPackage("org.glassfish..", "org.eclipse.parsson..");
        ArchRule undertow = noClasses().that().resideInAPackage(CORE)
                .and().resideOutsideOfPackage("..adapter.undertow..")
                .should().dependOnClassesThat().resideInAnyPackage("io.undertow..", "org.jboss..", "org.xnio..");

        tyrus.check(PRODUCTION);
        undertow.check(PRODUCTION);
    }

    @Test
    void coreDeclaresNoServerEndpoint() {
        ArchRule rule = noClasses().that().resideInAPackage(CORE).and().resideOutsideOfPackage(APP)
                .should().beAnnotatedWith(ServerEndpoint.class);

        rule.check(PRODUCTION);
    }

    @Test
    void coreDeclaresNoServerApplicationConfig() {
        ArchRule rule = noClasses().that().resideInAPackage(CORE).and().resideOutsideOfPackage(APP)
                .should().implement(ServerApplicationConfig.class);

        rule.check(PRODUCTION);
    }

    @Test
    void onlyTheMeterBinderNamesMicrometerSoThatTheCoreRunsWithoutIt() {
        ArchRule rule = noClasses().that().resideInAPackage(CORE).and().resideOutsideOfPackage(APP)
                .and().doNotHaveFullyQualifiedName("org.sizeguard.internal.SizeguardMeters")
                .should().dependOnClassesThat().resideInAnyPackage("io.micrometer..", "io.prometheus..");

        rule.check(PRODUCTION);
    }
}
