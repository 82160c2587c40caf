using System.Reflection;
using System.Text.Json;
using IdVerify.Core;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Each problem response in the OpenAPI document carries one example per error code answered with its status, built by
/// <see cref="ProblemMapping.Create"/> (so the examples are the bodies the service really writes).
/// </summary>
public sealed class ProblemExamplesTransformer : IOpenApiOperationTransformer
{
    private const string ProblemJson = "application/problem+json";

    private static readonly ILookup<int, string> CodesByStatus = typeof(ErrorCodes).GetFields(BindingFlags.Public | BindingFlags.Static)
        .Where(f => f.IsLiteral && f.FieldType == typeof(string))
        .Select(f => (string)f.GetRawConstantValue()!)
        .ToLookup(ProblemMapping.StatusOf);

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        foreach (var (status, response) in operation.Responses ?? [])
        {
            if (!int.TryParse(status, out var statusCode) || response.Content?.TryGetValue(ProblemJson, out var media) != true || media is null)
            {
                continue;
            }

            media.Examples ??= new Dictionary<string, IOpenApiExample>();
            foreach (var code in CodesByStatus[statusCode])
            {
                var problem = ProblemMapping.Create(code, "What went wrong, in words for the caller's logs.", statusCode);
                media.Examples[code] = new OpenApiExample { Summary = problem.Title, Value = JsonSerializer.SerializeToNode(problem) };
            }
        }

        return Task.CompletedTask;
    }
}
