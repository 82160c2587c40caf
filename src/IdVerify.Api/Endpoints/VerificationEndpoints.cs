using IdVerify.Core.Diagnostics;
using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Verification;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdVerify.Api.Endpoints;

public static class VerificationEndpoints
{
    public static IEndpointRouteBuilder MapVerification(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1").WithTags("Verification")
            .WithAuditTrail()
            .AddEndpointFilter<InferenceGateFilter>();

        group.MapPost("/enroll", Enroll)
            .WithMetadata(new ImageRequestShape(Many: true))
            .Audited(AuditActions.Enroll)
            .WithName("Enroll")
            .WithSummary("Enroll one to five photos of a subject (multipart 'image' files or JSON base64 'images').")
            .RequireAuthorization(ApiKeyScopes.Enroll)
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
            .WithMetadata(new ImageRequestShape(Many: false))
            .Audited(AuditActions.Verify)
            .WithName("Verify")
            .WithSummary("Compare a live selfie with a subject's templates and check liveness; with challengeId, a burst of 'frame' files answering an active challenge.")
            .RequireAuthorization(ApiKeyScopes.Verify)
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
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();

        group.MapPost("/identify", Identify)
            .WithMetadata(new ImageRequestShape(Many: false))
            .Audited(AuditActions.Identify)
            .WithName("Identify")
            .WithSummary("Search a live selfie against every enrolled subject (1:N): the top candidates passing the threshold for this gallery's size (Identify:FpirTarget).")
            .RequireAuthorization(ApiKeyScopes.Identify)
            .ProducesAccessProblems()
            .Accepts<IdentifyJsonRequest>("application/json", "multipart/form-data")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status408RequestTimeout)
            .ProducesProblem(StatusCodes.Status413PayloadTooLarge)
            .ProducesProblem(StatusCodes.Status415UnsupportedMediaType)
            .ProducesProblem(StatusCodes.Status422UnprocessableEntity)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable)
            .DisableAntiforgery();

        return routes;
    }

    private static async Task<Created<EnrollResponse>> Enroll(
        HttpRequest request, ImageRequestReader reader, FaceEngine engine, IdVerifyMetrics metrics, bool? replace, CancellationToken cancellationToken)
    {
        var audit = AuditEntry.For(request.HttpContext).Detail("replace", replace == true ? "true" : null);
        using var lease = engine.Acquire();
        var input = await reader.ReadAsync(request, "image", many: true, cancellationToken);
        audit.Subject(input.SubjectId);
        var user = request.HttpContext.User;
        var reenroll = user.HasClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.SubjectsReenroll);
        var nameDuplicates = user.HasClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Identify) || user.HasClaim(ApiKeyScopes.ClaimType, ApiKeyScopes.Admin);
        EnrollmentResult result;
        try
        {
            result = await lease.Services.Enrollment.EnrollAsync(input.SubjectId!, input.Images, replace ?? false, reenroll, nameDuplicates, cancellationToken);
        }
        catch (DuplicateIdentityException ex)
        {
            // The auditor always learns which subject the face matched, whatever the caller may see.
            AuditDuplicates(audit, ex.Check);
            throw;
        }

        metrics.RecordEnrollment(result);

        // A different face put on an enrolled subject under the subjects:reenroll right is its own action in the log.
        audit.Action = result.Reenrolled ? AuditActions.Reenroll : AuditActions.Enroll;
        AuditDuplicates(audit, result.Duplicates);
        return TypedResults.Created($"/v1/subjects/{Uri.EscapeDataString(result.Subject.SubjectId)}", EnrollResponse.From(result, nameDuplicates));
    }

    private static async Task<Ok<IdentifyResponse>> Identify(
        HttpRequest request, ImageRequestReader reader, FaceEngine engine, int? top, CancellationToken cancellationToken)
    {
        using var lease = engine.Acquire();
        var input = await reader.ReadAsync(request, "image", many: false, cancellationToken);
        if (input.Images.Count != 1)
        {
            throw new IdVerifyException(input.Images.Count == 0 ? ErrorCodes.ImageMissing : ErrorCodes.TooManyImages,
                "Identify takes exactly one 'image'.");
        }

        return TypedResults.Ok(IdentifyResponse.From(await lease.Services.Identification.IdentifyAsync(input.Images[0], top, cancellationToken)));
    }

    private static void AuditDuplicates(AuditEntry audit, DuplicateCheckResult? check)
    {
        if (check is null)
        {
            return;
        }

        audit.Detail("duplicateCheck", check.Skipped is not null ? "skipped" : check.Flagged ? "flagged" : "clear")
            .Detail("duplicateOf", check.Matches.Count > 0 ? check.Matches[0].SubjectId : null)
            .Detail("duplicateScore", check.Matches.Count > 0 ? check.Matches[0].Score.ToString(System.Globalization.CultureInfo.InvariantCulture) : null)
            .Detail("duplicateThreshold", check.Policy?.Threshold.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Detail("duplicateFmr", check.Policy?.Fmr.ToString(System.Globalization.CultureInfo.InvariantCulture))
            .Detail("gallerySize", check.Policy?.GallerySize.ToString(System.Globalization.CultureInfo.InvariantCulture));
    }

    private static async Task<Ok<VerifyResponse>> Verify(
        HttpRequest request, ImageRequestReader reader, FaceEngine engine, IdVerifyMetrics metrics, CancellationToken cancellationToken)
    {
        using var lease = engine.Acquire();
        var verification = lease.Services.Verification;
        var input = await reader.ReadAsync(request, "image", many: false, cancellationToken);
        AuditEntry.For(request.HttpContext).Subject(input.SubjectId).Detail("challengeId", input.ChallengeId);
        var result = input.ChallengeId is { Length: > 0 } challengeId
            ? await verification.VerifyChallengeAsync(input.SubjectId!, challengeId, input.Frames ?? [], input.FmrTarget, cancellationToken)
            : await VerifySingleAsync(verification, input, cancellationToken);
        metrics.RecordVerification(result);
        if (result.Attempts.JustLocked)
        {
            AuditEntry.For(request.HttpContext).Detail("lockedUntil", result.Attempts.LockedUntil?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

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
