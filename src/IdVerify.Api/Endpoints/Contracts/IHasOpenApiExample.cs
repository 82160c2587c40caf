namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>
/// A contract with the value the OpenAPI document shows as its example. The document serializes this value with the service's
/// JSON options (<see cref="Infrastructure.ContractExamplesTransformer"/>), so an example cannot drift from its type.
/// </summary>
public interface IHasOpenApiExample<TSelf> where TSelf : IHasOpenApiExample<TSelf>
{
    static abstract TSelf Example { get; }
}
