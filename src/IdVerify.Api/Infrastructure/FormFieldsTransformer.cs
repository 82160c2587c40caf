using IdVerify.Api.Endpoints;
using Microsoft.AspNetCore.OpenApi;
using Microsoft.OpenApi;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// A route that reads a multipart/form-data body by hand (<see cref="FormFields"/> metadata) gets that body described field by
/// field in the OpenAPI document: its names, which are files, which repeat.
/// </summary>
public sealed class FormFieldsTransformer : IOpenApiOperationTransformer
{
    private const string MultipartFormData = "multipart/form-data";

    public Task TransformAsync(OpenApiOperation operation, OpenApiOperationTransformerContext context, CancellationToken cancellationToken)
    {
        ArgumentNullException.ThrowIfNull(operation);
        ArgumentNullException.ThrowIfNull(context);
        if (context.Description.ActionDescriptor.EndpointMetadata.OfType<FormFields>().FirstOrDefault() is not { } form)
        {
            return Task.CompletedTask;
        }

        var body = operation.RequestBody as OpenApiRequestBody ?? new OpenApiRequestBody();
        body.Content ??= new Dictionary<string, OpenApiMediaType>();
        body.Content[MultipartFormData] = new OpenApiMediaType
        {
            Schema = new OpenApiSchema
            {
                Type = JsonSchemaType.Object,
                Properties = form.Fields.ToDictionary(f => f.Name, IOpenApiSchema (f) => SchemaOf(f)),
            },
        };
        operation.RequestBody = body;
        return Task.CompletedTask;
    }

    private static OpenApiSchema SchemaOf(FormField field)
    {
        var format = field.File ? "binary" : null;
        return field.Repeated
            ? new OpenApiSchema { Type = JsonSchemaType.Array, Items = new OpenApiSchema { Type = JsonSchemaType.String, Format = format }, Description = field.Description }
            : new OpenApiSchema { Type = JsonSchemaType.String, Format = format, Description = field.Description };
    }
}
