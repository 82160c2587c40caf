using System.Globalization;
using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Core;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Templates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdVerify.Api.Endpoints;

public static class AuditEndpoints
{
    public static IEndpointRouteBuilder MapAudit(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/audit").WithTags("Audit").RequireAuthorization(ApiKeyScopes.Audit);

        group.MapGet("", ReadAudit)
            .WithName("ReadAuditLog")
            .WithSummary("Audit records in sequence order, with their chain hashes; filter by subjectId, action and time (from ≤ time < to, ISO 8601), page with after (the previous page's next) and limit (1 to 1000, default 100).")
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status403Forbidden);

        return routes;
    }

    private static async Task<Ok<AuditPageDto>> ReadAudit(IAuditTrail trail, string? subjectId, string? action, string? from, string? to,
        long? after, int? limit, CancellationToken cancellationToken)
    {
        if (subjectId is not null)
        {
            SubjectIds.Validate(subjectId);
        }

        var pageLimit = limit ?? AuditPageRequest.DefaultLimit;
        if (pageLimit is < 1 or > AuditPageRequest.MaxLimit)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"limit must be 1 to {AuditPageRequest.MaxLimit}.");
        }

        if (after is < 0)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "after must be a sequence number (0 or more).");
        }

        var (start, end) = (Time(from, "from"), Time(to, "to"));
        if (start >= end)
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, "from must be before to.");
        }

        var page = await trail.ReadAsync(new AuditFilter(subjectId, start, end, action), new AuditPageRequest(after ?? 0, pageLimit), cancellationToken);
        return TypedResults.Ok(AuditPageDto.From(page));
    }

    /// <summary>ISO 8601; a time without an offset is UTC.</summary>
    private static DateTimeOffset? Time(string? value, string name) =>
        value is null ? null
        : DateTimeOffset.TryParse(value, CultureInfo.InvariantCulture, DateTimeStyles.AssumeUniversal, out var time) ? time
        : throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{name} must be an ISO 8601 time, such as 2026-05-01T09:30:00Z.");
}
