using System.Text.Json;
using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using Microsoft.AspNetCore.Http.HttpResults;
using Microsoft.AspNetCore.Http.Json;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Endpoints;

public static class LivenessEndpoints
{
    public static IEndpointRouteBuilder MapLiveness(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/liveness").WithTags("Liveness").RequireAuthorization(ApiKeyScopes.Verify).ProducesAccessProblems().WithAuditTrail();

        group.MapPost("/challenges", CreateChallenge)
            .Audited(AuditActions.ChallengeCreate)
            .WithName("CreateLivenessChallenge")
            .WithSummary("Issue a single-use, expiring active-liveness challenge (optionally bound to a subject); answer it with POST /v1/verify, challengeId and 'frame' files.")
            .Accepts<ChallengeRequest>("application/json")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status503ServiceUnavailable);

        return routes;
    }

    private static async Task<Created<ChallengeDto>> CreateChallenge(
        HttpRequest request, FaceEngine engine, IOptions<JsonOptions> json, CancellationToken cancellationToken)
    {
        using var lease = engine.Acquire();
        ChallengeRequest? body = null;
        if (request.ContentLength is > 0 || request.Headers.TransferEncoding.Count > 0)
        {
            if (!request.HasJsonContentType())
            {
                throw new IdVerifyException(ErrorCodes.InvalidRequest, "Send an empty body or JSON {\"subjectId\": \"...\"}.");
            }

            body = await JsonSerializer.DeserializeAsync<ChallengeRequest>(request.Body, json.Value.SerializerOptions, cancellationToken);
        }

        AuditEntry.For(request.HttpContext).Subject(body?.SubjectId);
        var challenge = await lease.Services.Challenges.CreateAsync(body?.SubjectId, cancellationToken);
        return TypedResults.Created($"/v1/liveness/challenges/{challenge.ChallengeId}", ChallengeDto.From(challenge));
    }
}
