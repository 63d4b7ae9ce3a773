package org.sizeguard.internal;

import jakarta.enterprise.context.ApplicationScoped;
import jakarta.enterprise.context.Dependent;
import jakarta.enterprise.inject.Produces;
import jakarta.enterprise.inject.spi.InjectionPoint;

import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizePolicy;
import org.sizeguard.SizeguardStats;

/**
 * Makes the effective policy injectable: {@code @Inject MessageSizePolicy policy}.
 * <p>
 * Which policy: in an endpoint or in a decoder that Sizeguard creates for an endpoint, the endpoint's; in any
 * other class annotated with {@link SizePolicy}, the policy it names; elsewhere the default policy.
 */
@ApplicationScoped
public class SizePolicyProducer {

    @Produces
    @Dependent
    MessageSizePolicy policy(InjectionPoint injectionPoint) {
        SizePolicies policies = DeployedApplication.policies();
        return PolicyContext.current().orElseGet(() -> {
            Class<?> owner = injectionPoint.getMember() == null ? null
                    : injectionPoint.getMember().getDeclaringClass();
            if (owner == null) {
                return policies.defaultPolicy();
            }
            return policies.forEndpoint(owner).orElseGet(() -> {
                SizePolicy annotation = owner.getAnnotation(SizePolicy.class);
                return annotation == null ? policies.defaultPolicy() : policies.named(annotation.value());
            });
        });
    }

    /** One per application: the registries are fixed when it deploys. */
    @Produces
    @ApplicationScoped
    SizePolicies policies() {
        return DeployedApplication.policies();
    }

    @Produces
    @ApplicationScoped
    SizeguardStats stats() {
        return DeployedApplication.stats();
    }
}
