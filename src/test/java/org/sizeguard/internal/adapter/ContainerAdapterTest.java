package org.sizeguard.internal.adapter;

import static org.assertj.core.api.Assertions.assertThat;

import java.lang.reflect.Proxy;

import jakarta.servlet.ServletContext;

import org.junit.jupiter.api.Test;

/** The adapter is chosen from the servlet context, with the server information the two servers report. */
class ContainerAdapterTest {

    private static ServletContext context(String serverInfo) {
        return (ServletContext) Proxy.newProxyInstance(ContainerAdapterTest.class.getClassLoader(),
                new Class<?>[] {ServletContext.class}, (proxy, method, args) -> switch (method.getName()) {
                    case "getServerInfo" -> serverInfo;
                    case "getClassLoader" -> ContainerAdapterTest.class.getClassLoader();
                    default -> throw new UnsupportedOperationException(method.getName());
                });
    }

    @Test
    void choosesTyrusOnPayaraAndGlassFish() {
        assertThat(ContainerAdapter.detect(context("Payara Micro")).name()).isEqualTo("Tyrus");
        assertThat(ContainerAdapter.detect(context("Payara Server  6.2025.9 #badassfish")).name()).isEqualTo("Tyrus");
        assertThat(ContainerAdapter.detect(context("Eclipse GlassFish  7.0.0")).name()).isEqualTo("Tyrus");
    }

    @Test
    void choosesUndertowWhereTheServerSaysSoAndThePortableOneElsewhere() {
        assertThat(ContainerAdapter.detect(context("WildFly 39.0.1.Final (WildFly Core 31.0.3.Final) - 2.3.23.Final"))
                .name()).isEqualTo("Undertow");
        assertThat(ContainerAdapter.detect(context("Undertow - 2.3.23.Final")).name()).isEqualTo("Undertow");
        assertThat(ContainerAdapter.detect(context("Apache Tomcat/10.1.30")).name()).isEqualTo("portable");
    }
}
