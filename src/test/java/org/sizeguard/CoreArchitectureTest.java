package org.sizeguard;

import static com.tngtech.archunit.lang.syntax.ArchRuleDefinition.noClasses;

import com.tngtech.archunit.core.domain.JavaClasses;
import com.tngtech.archunit.core.importer.ClassFileImporter;
import com.tngtech.archunit.core.importer.ImportOption;
import com.tngtech.archunit.lang.ArchRule;

import jakarta.websocket.server.ServerApplicationConfig;
import jakarta.websocket.server.ServerEndpoint;

import org.junit.jupiter.api.Test;

/**
 * The core (everything under {@code org.sizeguard} but {@code org.sizeguard.app}) is the jar users drop into
 * their own WAR. Containers deploy every {@code @ServerEndpoint} and {@code ServerApplicationConfig} they find
 * in {@code WEB-INF/lib}, so the core must contain neither, and it must not need the demo application.
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
}
