using IdVerify.Api.Endpoints.Contracts;
using IdVerify.Api.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Templates;
using Microsoft.AspNetCore.Http.HttpResults;

namespace IdVerify.Api.Endpoints;

public static class SubjectEndpoints
{
    public static IEndpointRouteBuilder MapSubjects(this IEndpointRouteBuilder routes)
    {
        var group = routes.MapGroup("/v1/subjects").WithTags("Subjects");

        group.MapGet("/{subjectId}", GetSubject)
            .WithName("GetSubject")
            .WithSummary("A subject and its templates' metadata (never the embeddings).")
            .RequireAuthorization(ApiScopes.Enroll)
            .ProducesAccessProblems()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        group.MapDelete("/{subjectId}", DeleteSubject)
            .WithName("DeleteSubject")
            .WithSummary("Erase a subject and every template it has.")
            .RequireAuthorization(ApiScopes.SubjectsDelete)
            .ProducesAccessProblems()
            .ProducesProblem(StatusCodes.Status400BadRequest)
            .ProducesProblem(StatusCodes.Status404NotFound);

        return routes;
    }

    private static async Task<Ok<SubjectDto>> GetSubject(string subjectId, ITemplateStore store, CancellationToken cancellationToken)
    {
        var subject = await store.GetSubjectAsync(SubjectIds.Validate(subjectId), cancellationToken)
            ?? throw new IdVerifyException(ErrorCodes.SubjectNotFound, $"Subject '{subjectId}' is not enrolled.");
        return TypedResults.Ok(SubjectDto.From(subject));
    }

    private static async Task<NoContent> DeleteSubject(string subjectId, ITemplateStore store, CancellationToken cancellationToken)
    {
        if (!await store.DeleteSubjectAsync(SubjectIds.Validate(subjectId), cancellationToken))
        {
            throw new IdVerifyException(ErrorCodes.SubjectNotFound, $"Subject '{subjectId}' is not enrolled.");
        }

        return TypedResults.NoContent();
    }
}
