using System.Diagnostics;
using System.Text.Json;
using IdVerify.Core;
using IdVerify.Core.Audit;
using IdVerify.Core.Diagnostics;
using IdVerify.Core.Quality;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Records every request to an audited route (<see cref="AuditedAction"/> metadata) in the audit log: who (the caller's
/// identity name), what, which subject, the request id, and how it ended: <c>ok</c> with figures from the typed result, or
/// the error code <see cref="ProblemMapping"/> will answer with (the exception is rethrown for it). Put on a route group
/// before any filter that can refuse a request (the inference gate), so refusals are recorded too. The record is written
/// before the response: if it cannot be written, the request fails instead of being served unaudited.
/// </summary>
public sealed partial class AuditEndpointFilter(IAuditLog log, IdVerifyMetrics metrics, ILogger<AuditEndpointFilter> logger) : IEndpointFilter
{
    public async ValueTask<object?> InvokeAsync(EndpointFilterInvocationContext context, EndpointFilterDelegate next)
    {
        var http = context.HttpContext;
        if (http.GetEndpoint()?.Metadata.GetMetadata<AuditedAction>() is not { } audited)
        {
            return await next(context);
        }

        // The W3C trace id a problem response carries as traceId, so a caller's report finds its record.
        var entry = AuditEntry.Begin(http, audited.Action).Detail("traceId", Activity.Current?.Id);
        foreach (var (name, value) in http.Request.RouteValues)
        {
            if (name == "subjectId")
            {
                entry.Subject(value as string);
            }
            else
            {
                entry.Detail(name, value as string);
            }
        }

        AuditDetails.AddArguments(entry, context.Arguments);
        object? result;
        try
        {
            result = await next(context);
        }
        catch (Exception ex)
        {
            if (ex is QualityException quality)
            {
                entry.Detail("qualityIssues", string.Join(",", quality.Issues));
            }

            var outcome = OutcomeOf(ex, http);
            await AppendAsync(http, entry, outcome);
            Decided(http, entry, outcome, null);
            throw;
        }

        if (result is IStatusCodeHttpResult { StatusCode: >= 400 } failed)
        {
            var code = (result as IValueHttpResult)?.Value is Microsoft.AspNetCore.Mvc.ProblemDetails problem
                && problem.Extensions.TryGetValue("code", out var c) && c is string s ? s : $"http_{failed.StatusCode}";
            await AppendAsync(http, entry, code);
            Decided(http, entry, code, null);
            return result;
        }

        AuditDetails.AddResult(entry, result);
        await AppendAsync(http, entry, "ok");
        var (decided, reason) = DecisionOf(result);
        Decided(http, entry, decided, reason);
        return result;
    }

    /// <summary>The code the request will be answered with, as <see cref="ProblemMapping"/> maps the exception.</summary>
    private static string OutcomeOf(Exception exception, HttpContext http) => exception switch
    {
        IdVerifyException e => e.Code,
        BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } => ErrorCodes.ImageTooLarge,
        BadHttpRequestException or JsonException or InvalidDataException => ErrorCodes.InvalidRequest,
        OperationCanceledException when http.RequestAborted.IsCancellationRequested => "cancelled",
        _ => "internal_error",
    };

    /// <summary>A verify's decision as a metric outcome: verified, or not_verified with the first reason it failed.</summary>
    private static (string Outcome, string? Reason) DecisionOf(object? result) => (result as IValueHttpResult)?.Value switch
    {
        Endpoints.Contracts.VerifyResponse { Verified: true } => ("verified", null),
        Endpoints.Contracts.VerifyResponse v => ("not_verified",
            !v.Liveness.Passed ? v.Liveness.Reason ?? "liveness" : !v.Quality.Passed ? "quality" : !v.Match ? "no_match" : "challenge"),
        _ => ("ok", null),
    };

    /// <summary>
    /// One metric and one log line per answered request. The line names the action, outcome, decision id and request id
    /// only: no subject id, no score, nothing biometric, so logs can be shipped where the audit log cannot.
    /// </summary>
    private void Decided(HttpContext http, AuditEntry entry, string outcome, string? reason)
    {
        var route = (http.GetEndpoint() as RouteEndpoint)?.RoutePattern.RawText ?? "";
        metrics.RecordRequest(route, outcome, reason);
        LogDecision(logger, entry.Action, outcome, reason ?? "", entry.Details.GetValueOrDefault("decisionId") ?? "", http.TraceIdentifier);
    }

    [LoggerMessage(EventId = 1, Level = LogLevel.Information,
        Message = "Decision {Action} {Outcome} {Reason} decision {DecisionId} request {RequestId}")]
    private static partial void LogDecision(ILogger logger, string action, string outcome, string reason, string decisionId, string requestId);

    /// <summary>Written whatever the request's own cancellation: a caller who hangs up is still on record.</summary>
    private Task AppendAsync(HttpContext http, AuditEntry entry, string outcome) =>
        log.AppendAsync(new AuditEvent(entry.Action, outcome, entry.SubjectId, http.User.Identity?.Name, http.TraceIdentifier, entry.Details),
            CancellationToken.None);
}
