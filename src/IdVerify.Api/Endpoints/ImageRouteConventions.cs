namespace IdVerify.Api.Endpoints;

public static class ImageRouteConventions
{
    /// <summary>
    /// What every route that reads photos may answer, for OpenAPI: a bad request or image (400, 415, 422), a body too slow
    /// or too large (408, 413) and a full inference queue (503). Uploads are posted by kiosks, not forms, so no antiforgery.
    /// </summary>
    public static TBuilder ProducesImageProblems<TBuilder>(this TBuilder builder) where TBuilder : IEndpointConventionBuilder =>
        builder.ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();
}
