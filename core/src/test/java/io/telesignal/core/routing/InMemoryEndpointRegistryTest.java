package io.telesignal.core.routing;

class InMemoryEndpointRegistryTest extends EndpointRegistryContract {
    private final InMemoryEndpointRegistry registry = new InMemoryEndpointRegistry();

    @Override
    protected EndpointRegistry registry() {
        return registry;
    }
}
