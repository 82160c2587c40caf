using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Templates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdVerify.Api.Endpoints;

public static class SubjectEndpoints
{
    public static IEndpointRouteBuilder MapSubjects(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/subjects").WithTags("Subjects").WithAuditTrail();

        group.MapGet("/{subjectId}", GetSubject)
            .Audited(AuditActions.SubjectRead)
            .WithName("GetSubject")
            .WithSummary("A subject and its templates' metadata (never the embeddings).")
            .RequireAuthorization(ApiKeyScopes.Enroll)
            .ProducesAccessProblems()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{subjectId}", DeleteSubject)
            .Audited(AuditActions.SubjectDelete)
            .WithName("DeleteSubject")
            .WithSummary("Erase a subject and every template it has.")
            .RequireAuthorization(ApiKeyScopes.SubjectsDelete)
            .ProducesAccessProblems()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapPost("/{subjectId}/unlock", UnlockSubject)
            .Audited(AuditActions.SubjectUnlock)
            .WithName("UnlockSubject")
            .WithSummary("Clear a subject's failed-verify count and lock (after an officer has checked the customer).")
            .RequireAuthorization(ApiKeyScopes.Enroll)
            .ProducesAccessProblems()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<NoContent> UnlockSubject(string subjectId, ITemplateStore store, ISubjectAttemptStore attempts,
        CancellationToken cancellationToken)
    {
        _ = await store.GetSubjectAsync(SubjectIds.Validate(subjectId), cancellationToken)
            ?? throw SubjectIds.NotEnrolled(subjectId);
        await attempts.UnlockAsync(subjectId, cancellationToken);
        return TypedResults.NoContent();
    }

    private static async Task<Ok<SubjectDto>> GetSubject(string subjectId, ITemplateStore store, CancellationToken cancellationToken)
    {
        var subject = await store.GetSubjectAsync(SubjectIds.Validate(subjectId), cancellationToken)
            ?? throw SubjectIds.NotEnrolled(subjectId);
        return TypedResults.Ok(SubjectDto.From(subject));
    }

    private static async Task<NoContent> DeleteSubject(string subjectId, ITemplateStore store, CancellationToken cancellationToken)
    {
        if (!await store.DeleteSubjectAsync(SubjectIds.Validate(subjectId), cancellationToken))
        {
            throw SubjectIds.NotEnrolled(subjectId);
        }

        return TypedResults.NoContent();
    }
}
