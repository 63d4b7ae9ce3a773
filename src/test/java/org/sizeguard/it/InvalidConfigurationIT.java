package org.sizeguard.it;

import static org.assertj.core.api.Assertions.assertThatThrownBy;

import org.jboss.arquillian.container.test.api.Deployer;
import org.jboss.arquillian.container.test.api.Deployment;
import org.jboss.arquillian.junit5.ArquillianExtension;
import org.jboss.arquillian.test.api.ArquillianResource;
import org.jboss.shrinkwrap.api.spec.WebArchive;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

/** A web.xml with {@code sizeguard.max-text-message-size = 64 parsecs} must fail the deployment. */
@ExtendWith(ArquillianExtension.class)
class InvalidConfigurationIT {

    private static final String INVALID = "invalid";

    @ArquillianResource
    Deployer deployer;

    @Deployment(name = INVALID, managed = false, testable = false)
    static WebArchive deployment() {
        return Deployments.sizeguardWithInvalidSize();
    }

    @Test
    void failsTheDeploymentOfAnInvalidSize() {
        assertThatThrownBy(() -> deployer.deploy(INVALID)).isInstanceOf(Exception.class);
    }
}
