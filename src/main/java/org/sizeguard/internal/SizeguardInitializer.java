package org.sizeguard.internal;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collections;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.ThreadFactory;
import java.util.function.Function;
import java.util.logging.Level;
import java.util.logging.Logger;
import java.util.stream.Collectors;

import javax.naming.InitialContext;
import javax.naming.NamingException;

import jakarta.enterprise.inject.spi.CDI;
import jakarta.servlet.DispatcherType;
import jakarta.servlet.FilterRegistration;
import jakarta.servlet.ServletContainerInitializer;
import jakarta.servlet.ServletContext;
import jakarta.servlet.ServletContextEvent;
import jakarta.servlet.ServletContextListener;
import jakarta.servlet.annotation.HandlesTypes;
import jakarta.websocket.DeploymentException;
import jakarta.websocket.server.ServerContainer;
import jakarta.websocket.server.ServerEndpoint;
import jakarta.websocket.server.ServerEndpointConfig;

import org.sizeguard.MessageRejected;
import org.sizeguard.MessageSizePolicy;
import org.sizeguard.SizePolicies;
import org.sizeguard.SizeguardStats;
import org.sizeguard.internal.config.ConfigSources;
import org.sizeguard.internal.config.PolicyResolver;
import org.sizeguard.internal.config.PolicySetting;
import org.sizeguard.internal.config.ServerSetting;
import org.sizeguard.internal.adapter.ContainerAdapter;
import org.sizeguard.transfer.OnTransfer;

/**
 * Sets Sizeguard up when an application deploys (registered through
 * {@code META-INF/services/jakarta.servlet.ServletContainerInitializer}).
 * <ol>
 * <li>Reads and checks the configuration; an invalid value fails the deployment naming key and value.</li>
 * <li>Models every {@code ServerEndpoint} class of the application and resolves its policy.</li>
 * <li>When the servlet context has initialised, registers a {@link GuardedEndpoint} for each class with
 * {@link ServerContainer#addEndpoint(ServerEndpointConfig)}. The application must keep the container from
 * deploying those classes itself, with a {@code ServerApplicationConfig} whose
 * {@code getAnnotatedEndpointClasses} returns none of them.</li>
 * <li>Chooses the server's {@link ContainerAdapter} and lets it install what it needs (on Payara, the filter that
 * puts a frame relay under Tyrus, so that over-limit frames are refused from their header).</li>
 * </ol>
 */
@HandlesTypes(ServerEndpoint.class)
public class SizeguardInitializer implements ServletContainerInitializer {

    private static final Logger LOG = Logger.getLogger(SizeguardInitializer.class.getName());

    /** The class whose presence says the application has Micrometer. */
    private static final String MICROMETER_REGISTRY = "io.micrometer.core.instrument.MeterRegistry";

    @Override
    public void onStartup(Set<Class<?>> classes, ServletContext context) {
        ConfigSources sources = ConfigSources.forDeployment(context::getInitParameter,
                new HashSet<>(Collections.list(context.getInitParameterNames())));
        PolicyResolver resolver = new PolicyResolver(sources, System.getenv());

        List<EndpointModel> models = new ArrayList<>();
        for (Class<?> candidate : classes == null ? Set.<Class<?>>of() : classes) {
            if (candidate.isAnnotationPresent(ServerEndpoint.class) && !candidate.isInterface()) {
                models.add(EndpointModel.of(candidate));
            }
        }
        models.sort(Comparator.comparing(EndpointModel::path));

        Map<Class<?>, MessageSizePolicy> byClass = new LinkedHashMap<>();
        Map<String, MessageSizePolicy> byPath = new LinkedHashMap<>();
        for (EndpointModel model : models) {
            MessageSizePolicy policy = resolver.forEndpoint(model.endpointClass(), model.annotatedMaxMessageSizes());
            byClass.put(model.endpointClass(), policy);
            byPath.put(model.path(), policy);
            LOG.info(() -> "SIZEGUARD-000: " + model.path() + " (" + model.endpointClass().getName() + ") uses policy "
                    + policy.name() + ": " + Arrays.stream(PolicySetting.values())
                            .map(setting -> setting.reportName() + "=" + setting.reportedIn(policy))
                            .collect(Collectors.joining(", ")));
        }
        Set<String> transferPaths = models.stream().filter(model -> model.transferMethod().isPresent())
                .map(EndpointModel::path).collect(Collectors.toSet());
        SizePolicies policies = new ConfiguredPolicies(resolver.defaultPolicy(), byClass, byPath, resolver::named,
                transferPaths);
        DeployedApplication.install(policies);
        ServerLimits limits = resolver.serverLimits(context.getContextPath());
        LOG.info(() -> "SIZEGUARD-000: server limits (0: no cap): " + Arrays.stream(ServerSetting.values())
                .map(setting -> setting.reportName() + "=" + setting.reportedIn(limits))
                .collect(Collectors.joining(", ")));
        ContainerAdapter adapter = ContainerAdapter.detect(context);
        context.addListener(new Registration(models, policies, limits, adapter));
        adapter.install(context);
        FilterRegistration.Dynamic address = context.addFilter("sizeguard-client-address", new ClientAddressFilter());
        address.setAsyncSupported(true);
        address.addMappingForUrlPatterns(EnumSet.of(DispatcherType.REQUEST), false, "/*");
    }

    /** Registers the guarded endpoints once the container's WebSocket support is in place. */
    private static final class Registration implements ServletContextListener {

        private final List<EndpointModel> models;
        private final SizePolicies policies;
        private final ServerLimits limits;
        private final ContainerAdapter adapter;
        private GuardRuntime runtime;
        private List<AutoCloseable> meters = List.of();

        Registration(List<EndpointModel> models, SizePolicies policies, ServerLimits limits,
                ContainerAdapter adapter) {
            this.models = models;
            this.policies = policies;
            this.limits = limits;
            this.adapter = adapter;
        }

        @Override
        public void contextInitialized(ServletContextEvent event) {
            ServerContainer container = (ServerContainer) event.getServletContext()
                    .getAttribute(ServerContainer.class.getName());
            if (container == null) {
                if (!models.isEmpty()) {
                    throw new IllegalStateException("SIZEGUARD-005: the server offers no WebSocket container to "
                            + "deploy " + models.size() + " endpoint(s) on");
                }
                return;
            }
            Rejections rejections = new Rejections(SizeguardInitializer::fire);
            runtime = new GuardRuntime(rejections, limits, managedThreads().orElseGet(GuardRuntime::daemonThreads),
                    adapter);
            DeployedApplication.install((SizeguardStats) runtime.stats());
            DeployedApplication.install(runtime.budget());
            runtime.clearTransfers();
            // Every endpoint counts from zero at deployment, so that a scrape shows it before its first message.
            models.forEach(model -> runtime.stats().endpoint(model.path()));
            // A lambda, not a method reference: SizeguardMeters must not be loaded before Micrometer is known there.
            meters = bindMeters(runtime.stats(), stats -> SizeguardMeters.bindToApplicationRegistries(stats));
            for (EndpointModel model : models) {
                MessageSizePolicy policy = policies.forEndpoint(model.endpointClass()).orElseThrow();
                ServerEndpointConfig config = ServerEndpointConfig.Builder.create(GuardedEndpoint.class, model.path())
                        .subprotocols(subprotocols(model))
                        .encoders(List.of(model.annotation().encoders()))
                        .configurator(new GuardedConfigurator(model, policy, runtime))
                        .build();
                try {
                    container.addEndpoint(config);
                } catch (DeploymentException | RuntimeException e) {
                    throw new IllegalStateException("SIZEGUARD-006: cannot deploy " + model.path() + " ("
                            + model.endpointClass().getName() + "). If the container deployed the class itself, add "
                            + "a ServerApplicationConfig whose getAnnotatedEndpointClasses returns none of the "
                            + "guarded classes (see the README): " + e.getMessage(), e);
                }
            }
        }

        /** The endpoint's subprotocols, and the transfer protocol's last if it takes transfers. */
        private static List<String> subprotocols(EndpointModel model) {
            List<String> subprotocols = new ArrayList<>(List.of(model.annotation().subprotocols()));
            if (model.transferMethod().isPresent()) {
                subprotocols.add(OnTransfer.SUBPROTOCOL);
            }
            return subprotocols;
        }

        @Override
        public void contextDestroyed(ServletContextEvent event) {
            DeployedApplication.install((SizePolicies) null);
            DeployedApplication.install((SizeguardStats) null);
            DeployedApplication.install((MemoryBudget) null);
            for (AutoCloseable bound : meters) {
                try {
                    bound.close();
                } catch (Exception | LinkageError failed) {
                    LOG.log(Level.WARNING, "SIZEGUARD-014: could not remove Sizeguard's meters", failed);
                }
            }
            if (runtime != null) {
                runtime.shutdown();
            }
        }

        /**
         * The server's default managed thread factory, so that stream readers and expiries run with the
         * application's context (CDI, JNDI, class loader) as on a container thread; Sizeguard's own pools bound
         * how many there are. Without one, plain daemon threads with the application's class loader.
         */
        private static Optional<ThreadFactory> managedThreads() {
            try {
                return Optional.of((ThreadFactory) new InitialContext().lookup("java:comp/DefaultManagedThreadFactory"));
            } catch (NamingException | RuntimeException noManagedThreadFactory) {
                LOG.info("SIZEGUARD-008: no managed thread factory; stream readers run on plain daemon threads");
                return Optional.empty();
            }
        }
    }

    /**
     * Binds Sizeguard's meters ({@code binding}) when Micrometer is on the application's class path; without
     * Micrometer, or when binding fails, Sizeguard runs as it does without metrics, and says so once in the log.
     *
     * @return what to close when the application stops
     */
    static List<AutoCloseable> bindMeters(LiveStats stats, Function<LiveStats, List<AutoCloseable>> binding) {
        try {
            Class.forName(MICROMETER_REGISTRY, false, SizeguardInitializer.class.getClassLoader());
        } catch (ClassNotFoundException | LinkageError absent) {
            LOG.fine("SIZEGUARD-014: Micrometer is not on the class path; no meters are bound");
            return List.of();
        }
        try {
            List<AutoCloseable> bound = binding.apply(stats);
            LOG.info(() -> "SIZEGUARD-014: Sizeguard's meters are bound to " + bound.size()
                    + " MeterRegistry bean(s)");
            return bound;
        } catch (RuntimeException | LinkageError failed) {
            LOG.log(Level.WARNING, "SIZEGUARD-014: could not bind Sizeguard's meters; it runs without them", failed);
            return List.of();
        }
    }

    private static void fire(MessageRejected event) {
        CDI<Object> cdi;
        try {
            cdi = CDI.current();
        } catch (IllegalStateException noCdi) {
            return;
        }
        cdi.getBeanManager().getEvent().select(MessageRejected.class).fire(event);
    }
}
