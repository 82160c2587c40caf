using System.Reflection;
using System.Text.Json;
using System.Text.Json.Nodes;
using IdVerify.Api.Endpoints.Contracts;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.AspNetCore.Mvc.ModelBinding;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.Extensions.Options;
using Microsoft.OpenApi;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Each JSON request body and success response in the OpenAPI document carries its contract's
/// <see cref="IHasOpenApiExample{TSelf}.Example"/>, serialized with the service's own JSON options (the bytes a caller sends or
/// gets). A contract without an example gets none, which the OpenAPI test refuses.
/// </summary>
public sealed class ContractExamplesTransformer(IOptions<JsonOptions> json) : IOpenApiOperationTransformer
{
    private const string ApplicationJson = "application/json";

    private static readonly MethodInfo ExampleOfMethod =
        typeof(ContractExamplesTransformer).GetMethod(nameof(ExampleOf), BindingFlags.NonPublic | BindingFlags.Static)!;

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        var description = context.Description;

        var body = description.ParameterDescriptions.FirstOrDefault(p => p.Source == BindingSource.Body)?.Type;
        if (operation.RequestBody?.Content?.TryGetValue(ApplicationJson, out var request) == true && Example(body) is { } requestExample)
        {
            request.Example = requestExample;
        }

        foreach (var type in description.SupportedResponseTypes.Where(r => r.StatusCode is >= 200 and < 300))
        {
            if (operation.Responses?.TryGetValue(type.StatusCode.ToString(System.Globalization.CultureInfo.InvariantCulture), out var response) == true
                && response.Content?.TryGetValue(ApplicationJson, out var media) == true && Example(type.Type) is { } example)
            {
                media.Example = example;
            }
        }

        return Task.CompletedTask;
    }

    private JsonNode? Example(Type? type) =>
        type is not null && type.GetInterfaces().Any(i =>
            i.IsGenericType && i.GetGenericTypeDefinition() == typeof(IHasOpenApiExample<>) && i.GenericTypeArguments[0] == type)
            ? JsonSerializer.SerializeToNode(ExampleOfMethod.MakeGenericMethod(type).Invoke(null, null), type, json.Value.SerializerOptions)
            : null;

    private static object ExampleOf<T>() where T : IHasOpenApiExample<T> => T.Example;
}
