using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using IdVerify.Core.Hosting;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Endpoints;

/// <summary>
/// A kiosk's live framing hint: detection and verify's capture-quality checks on one preview frame. Nothing is embedded,
/// compared, stored or audited (no decision is made), so a kiosk's verify key may call it; it has its own rate-limit pool.
/// </summary>
public static class QualityEndpoints
{
    public static IEndpointRouteBuilder MapQuality(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Quality")
            .AddEndpointFilter<InferenceGateFilter>();

        group.MapPost("/quality", Check)
            .WithMetadata(new ImageRequestShape(Many: false))
            .WithMetadata(new RateLimitPool(RateLimitSettings.QualityPool))
            .WithName("CheckQuality")
            .WithSummary("Check one downscaled preview frame (multipart 'image' or JSON base64 'image'): face found, its box relative to the frame, quality issues (verify's, plus not_centred) and the measured values.")
            .RequireAuthorization(ApiKeyScopes.Verify)
            .ProducesAccessProblems()
            .Accepts<QualityJsonRequest>("application/json", "multipart/form-data")
            .WithMetadata(new FormFields([
                new FormField("image", "One preview frame (JPEG, PNG or WebP), downscaled to 320–480 px wide.", File: true),
            ]))
            .ProducesImageProblems();

        return routes;
    }

    private static async Task<Ok<FrameQualityResponse>> Check(
        HttpRequest request, ImageRequestReader reader, FaceEngine engine, IOptions<QualityOptions> quality, CancellationToken cancellationToken)
    {
        using var lease = engine.Acquire();
        var input = await reader.ReadAsync(request, "image", many: false, cancellationToken);
        var frame = lease.Services.Pipeline.CheckFrame(input.SingleImage("Quality"), quality.Value.Verification);
        return TypedResults.Ok(FrameQualityResponse.From(frame));
    }
}
