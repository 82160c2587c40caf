using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Verification;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdVerify.Api.Endpoints;

public static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerification(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Verification").AddEndpointFilter<InferenceGateFilter>();

        group.MapPost("/enroll", Enroll)
            .WithName("Enroll")
            .WithSummary("Enroll one to five photos of a subject (multipart 'image' files or JSON base64 'images').")
            .RequireAuthorization(ApiScopes.Enroll)
            .ProducesAccessProblems()
            .Accepts<EnrollJsonRequest>("application/json", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();

        group.MapPost("/verify", Verify)
            .WithName("Verify")
            .WithSummary("Compare a live selfie with a subject's templates and check liveness; with challengeId, a burst of 'frame' files answering an active challenge.")
            .RequireAuthorization(ApiScopes.Verify)
            .ProducesAccessProblems()
            .Accepts<VerifyJsonRequest>("application/json", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();

        return routes;
    }

    private static async Task<Created<EnrollResponse>> Enroll(
        HttpRequest request, ImageRequestReader reader, FaceEngine engine, bool? replace, CancellationToken cancellationToken)
    {
        using var lease = engine.Acquire();
        var input = await reader.ReadAsync(request, "image", many: true, cancellationToken);
        var result = await lease.Services.Enrollment.EnrollAsync(input.SubjectId!, input.Images, replace ?? false, cancellationToken);
        return TypedResults.Created($"/v1/subjects/{Uri.EscapeDataString(result.Subject.SubjectId)}", EnrollResponse.From(result));
    }

    private static async Task<Ok<VerifyResponse>> Verify(
        HttpRequest request, ImageRequestReader reader, FaceEngine engine, CancellationToken cancellationToken)
    {
        using var lease = engine.Acquire();
        var verification = lease.Services.Verification;
        var input = await reader.ReadAsync(request, "image", many: false, cancellationToken);
        var result = input.ChallengeId is { Length: > 0 } challengeId
            ? await verification.VerifyChallengeAsync(input.SubjectId!, challengeId, input.Frames ?? [], input.FmrTarget, cancellationToken)
            : await VerifySingleAsync(verification, input, cancellationToken);
        return TypedResults.Ok(VerifyResponse.From(result));
    }

    private static async Task<VerificationResult> VerifySingleAsync(VerificationService service, ImageRequest input, CancellationToken cancellationToken)
    {
        if (input.Images.Count == 0)
        {
            throw new IdVerifyException(ErrorCodes.ImageMissing, "Send the selfie as the 'image' field.");
        }

        if (input.Images.Count > 1)
        {
            throw new IdVerifyException(ErrorCodes.TooManyImages, "Verify takes exactly one 'image'.");
        }

        return await service.VerifyAsync(input.SubjectId!, input.Images[0], input.FmrTarget, cancellationToken);
    }
}
