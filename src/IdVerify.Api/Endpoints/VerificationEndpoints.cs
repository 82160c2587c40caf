using IdVerify.Core.Diagnostics;
using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
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
            .WithMetadata(new FormFields([
                new FormField("subjectId", "The subject's id in the caller's system (no personal data)."),
                new FormField("image", "A photo of the subject's face (JPEG, PNG or WebP); one to five.", File: true, Repeated: true),
            ]))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesImageProblems();

        group.MapPost("/verify", Verify)
            .WithMetadata(new ImageRequestShape(Many: false))
            .Audited(AuditActions.Verify)
            .WithName("Verify")
            .WithSummary("Compare a live selfie with a subject's templates and check liveness; with challengeId, a burst of 'frame' files answering an active challenge.")
            .RequireAuthorization(ApiKeyScopes.Verify)
            .ProducesAccessProblems()
            .Accepts<VerifyJsonRequest>("application/json", "multipart/form-data")
            .WithMetadata(new FormFields([
                new FormField("subjectId", "The enrolled subject to compare with."),
                new FormField("image", "The live selfie (JPEG, PNG or WebP); not with challengeId.", File: true),
                new FormField("fmrTarget", "Optional: the false-match rate to decide at, between 0 and 1 (e.g. 0.0001)."),
                new FormField("challengeId", "Optional: the active liveness challenge these frames answer."),
                new FormField("frame", "With challengeId: the burst of frames, in capture order.", File: true, Repeated: true),
            ]))
            .ProducesProblem(StatusCodes.Status404NotFound)
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesProblem(StatusCodes.Status410Gone)
            .ProducesProblem(StatusCodes.Status429TooManyRequests)
            .ProducesImageProblems();

        group.MapPost("/identify", Identify)
            .WithMetadata(new ImageRequestShape(Many: false))
            .Audited(AuditActions.Identify)
            .WithName("Identify")
            .WithSummary("Search a live selfie against every enrolled subject (1:N): the top candidates passing the threshold for this gallery's size (Identify:FpirTarget).")
            .RequireAuthorization(ApiKeyScopes.Identify)
            .ProducesAccessProblems()
            .Accepts<IdentifyJsonRequest>("application/json", "multipart/form-data")
            .WithMetadata(new FormFields([
                new FormField("image", "One selfie (JPEG, PNG or WebP) of the person to search for.", File: true),
            ]))
            .ProducesProblem(StatusCodes.Status409Conflict)
            .ProducesImageProblems();

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
        return TypedResults.Ok(IdentifyResponse.From(await lease.Services.Identification.IdentifyAsync(input.SingleImage("Identify"), top, cancellationToken)));
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
            : await verification.VerifyAsync(input.SubjectId!, input.SingleImage("Verify"), input.FmrTarget, cancellationToken);
        metrics.RecordVerification(result);
        if (result.Attempts.JustLocked)
        {
            AuditEntry.For(request.HttpContext).Detail("lockedUntil", result.Attempts.LockedUntil?.ToString("O", System.Globalization.CultureInfo.InvariantCulture));
        }

        return TypedResults.Ok(VerifyResponse.From(result));
    }
}
