package org.sizeguard.internal;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;

class DeployedApplicationTest {

    @AfterEach
    void forgetThePolicies() {
        DeployedApplication.install((SizePolicies) null);
    }

    @Test
    void answersTheBuiltInPolicyBeforeSizeguardHasInitialisedTheApplication() {
        DeployedApplication.install((SizePolicies) null);

        assertThat(DeployedApplication.defaultPolicy()).isSameAs(MessageSizePolicy.DEFAULTS);
        assertThat(MessageSizePolicy.DEFAULTS.maxTextBytes()).isEqualTo(MessageSizePolicy.DEFAULT_MAX_TEXT_BYTES);
        assertThat(MessageSizePolicy.DEFAULTS.maxBinaryBytes()).isEqualTo(MessageSizePolicy.DEFAULT_MAX_BINARY_BYTES);
    }

    @Test
    void answersTheApplicationsDefaultPolicyOnceItIsInstalled() {
        MessageSizePolicy configured = new MessageSizePolicy(MessageSizePolicy.DEFAULT_NAME, 10, 20);
        DeployedApplication.install(ConfiguredPolicies.only(configured));

        assertThat(DeployedApplication.defaultPolicy()).isSameAs(configured);
    }
}
