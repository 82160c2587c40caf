using System.Text.Json;
using IdVerify.Core;
using IdVerify.Core.Quality;
using IdVerify.Core.Verification;
using Microsoft.AspNetCore.Diagnostics;
using Microsoft.AspNetCore.Mvc;

namespace IdVerify.Api.Infrastructure;

/// <summary>The one place where failures become RFC 9457 problem details with a stable <c>code</c>.</summary>
public sealed partial class ProblemMapping(IProblemDetailsService problems, ILogger<ProblemMapping> logger) : IExceptionHandler
{
    /// <summary>The request line (method, target, version) is longer than the service reads.</summary>
    public const string UriTooLong = "uri_too_long";

    /// <summary>The request's headers are larger or more numerous than the service reads.</summary>
    public const string HeadersTooLarge = "headers_too_large";

    /// <summary>The most of a caller's text (a path, an id) a problem's detail repeats.</summary>
    public const int MaxEchoed = 64;

    public static int StatusOf(string code) => code switch
    {
        ErrorCodes.ImageMissing or ErrorCodes.ImageUnreadable or ErrorCodes.InvalidSubjectId or ErrorCodes.InvalidRequest
            or ErrorCodes.TooManyImages or ErrorCodes.FmrTargetUnsupported => StatusCodes.Status400BadRequest,
        ErrorCodes.SubjectNotFound or ErrorCodes.ChallengeNotFound or ErrorCodes.ModelNotFound => StatusCodes.Status404NotFound,
        ErrorCodes.TooManyTemplates or ErrorCodes.ReenrollmentRequired or ErrorCodes.ChallengeUsed
            or ErrorCodes.ChallengeSubjectMismatch or ErrorCodes.FaceMismatch
            or ErrorCodes.FpirTargetUnreachable or ErrorCodes.DuplicateIdentity => StatusCodes.Status409Conflict,
        ErrorCodes.SubjectLocked => StatusCodes.Status429TooManyRequests,
        ErrorCodes.ChallengeExpired => StatusCodes.Status410Gone,
        ErrorCodes.ImageTooLarge => StatusCodes.Status413PayloadTooLarge,
        ErrorCodes.UnsupportedFormat => StatusCodes.Status415UnsupportedMediaType,
        ErrorCodes.NoFace or ErrorCodes.MultipleFaces or ErrorCodes.FaceTooSmall or ErrorCodes.LivenessFailed
            or ErrorCodes.QualityTooLow or ErrorCodes.ModelRejected => StatusCodes.Status422UnprocessableEntity,
        ErrorCodes.NotReady or ErrorCodes.Overloaded or ErrorCodes.DataKeyMissing => StatusCodes.Status503ServiceUnavailable,
        ErrorCodes.ApiKeyMissing or ErrorCodes.ApiKeyInvalid => StatusCodes.Status401Unauthorized,
        ErrorCodes.ScopeForbidden => StatusCodes.Status403Forbidden,
        ErrorCodes.RateLimited => StatusCodes.Status429TooManyRequests,
        ErrorCodes.RequestTimeout => StatusCodes.Status408RequestTimeout,
        ErrorCodes.KeyExists => StatusCodes.Status409Conflict,
        ErrorCodes.KeyNotFound => StatusCodes.Status404NotFound,
        UriTooLong => StatusCodes.Status414UriTooLong,
        HeadersTooLarge => StatusCodes.Status431RequestHeaderFieldsTooLarge,
        _ => StatusCodes.Status500InternalServerError,
    };

    private static string TitleOf(string code) => code switch
    {
        ErrorCodes.ImageMissing => "No image was sent",
        ErrorCodes.ImageUnreadable => "The image could not be read",
        ErrorCodes.ImageTooLarge => "The image is too large",
        ErrorCodes.UnsupportedFormat => "The image format is not supported",
        ErrorCodes.NoFace => "No face was found",
        ErrorCodes.MultipleFaces => "More than one face was found",
        ErrorCodes.FaceTooSmall => "The face is too small",
        ErrorCodes.LivenessFailed => "The face did not pass the liveness check",
        ErrorCodes.QualityTooLow => "The photo's quality is too low",
        ErrorCodes.SubjectNotFound => "Subject not found",
        ErrorCodes.InvalidSubjectId => "Invalid subject id",
        ErrorCodes.TooManyTemplates => "Too many templates for this subject",
        ErrorCodes.TooManyImages => "Too many images in one request",
        ErrorCodes.ReenrollmentRequired => "The subject must enroll again for the active embedder",
        ErrorCodes.ModelRejected => "The model was rejected",
        ErrorCodes.ModelNotFound => "No such model for this role",
        ErrorCodes.InvalidRequest => "The request is malformed",
        ErrorCodes.FmrTargetUnsupported => "The false match rate target is not available",
        ErrorCodes.NotReady => "The service is not ready",
        ErrorCodes.Overloaded => "The service is at capacity",
        ErrorCodes.ApiKeyMissing => "An API key is required",
        ErrorCodes.ApiKeyInvalid => "The API key is not valid",
        ErrorCodes.ScopeForbidden => "The API key lacks the scope for this route",
        ErrorCodes.RateLimited => "Too many requests for this API key",
        ErrorCodes.RequestTimeout => "The request body arrived too slowly",
        ErrorCodes.KeyExists => "An API key with this name exists",
        ErrorCodes.KeyNotFound => "No such API key",
        ErrorCodes.ChallengeNotFound => "Unknown liveness challenge",
        ErrorCodes.ChallengeUsed => "The liveness challenge was already used",
        ErrorCodes.ChallengeExpired => "The liveness challenge expired",
        ErrorCodes.ChallengeSubjectMismatch => "The liveness challenge belongs to another subject",
        ErrorCodes.SubjectLocked => "The subject is locked after too many failed verifies",
        ErrorCodes.FaceMismatch => "The face does not match the enrolled subject",
        ErrorCodes.FpirTargetUnreachable => "No calibrated threshold meets the identification target for this gallery size",
        ErrorCodes.DuplicateIdentity => "The face is already enrolled under another subject",
        ErrorCodes.DataKeyMissing => "Stored data cannot be opened with the configured data keys",
        UriTooLong => "The request line is too long",
        HeadersTooLarge => "The request headers are too large",
        _ => "The service failed",
    };

    public static ProblemDetails Create(string code, string detail, int? status = null, IReadOnlyList<string>? issues = null)
    {
        var problem = new ProblemDetails
        {
            Status = status ?? StatusOf(code),
            Title = TitleOf(code),
            Detail = detail,
            Type = $"https://idverify.dev/problems/{code.Replace('_', '-')}",
            Extensions = { ["code"] = code },
        };
        if (issues is not null)
        {
            problem.Extensions["issues"] = issues;
        }

        return problem;
    }

    /// <summary>Problems the framework writes itself (unknown route, wrong method or body type) get a stable code too.</summary>
    public static void AddCodeToFrameworkProblems(ProblemDetailsContext context)
    {
        if (context.ProblemDetails.Extensions.ContainsKey("code"))
        {
            return;
        }

        context.ProblemDetails.Extensions["code"] = context.ProblemDetails.Status switch
        {
            StatusCodes.Status404NotFound => "not_found",
            StatusCodes.Status405MethodNotAllowed => "method_not_allowed",
            StatusCodes.Status415UnsupportedMediaType => "unsupported_media_type",
            StatusCodes.Status400BadRequest => ErrorCodes.InvalidRequest,
            StatusCodes.Status408RequestTimeout => "request_timeout",
            StatusCodes.Status413PayloadTooLarge => ErrorCodes.ImageTooLarge,
            StatusCodes.Status414UriTooLong => UriTooLong,
            StatusCodes.Status431RequestHeaderFieldsTooLarge => HeadersTooLarge,
            _ => "internal_error",
        };
        var request = context.HttpContext.Request;
        context.ProblemDetails.Detail ??= $"{context.ProblemDetails.Title}: {Echo(request.Method)} {Echo(request.Path.ToString())}";
    }

    /// <summary>A caller's text as a detail may repeat it: at most <see cref="MaxEchoed"/> characters, control characters escaped.</summary>
    public static string Echo(string text)
    {
        var cut = text.Length > MaxEchoed ? text[..MaxEchoed] + "…" : text;
        return cut.Any(char.IsControl) ? string.Concat(cut.Select(c => char.IsControl(c) ? $"\\u{(int)c:x4}" : c.ToString())) : cut;
    }

    public async ValueTask<bool> TryHandleAsync(HttpContext httpContext, Exception exception, CancellationToken cancellationToken)
    {
        var problem = exception switch
        {
            QualityException e => Create(e.Code, e.Message, issues: e.Issues),
            IdVerifyException e => Create(e.Code, e.Message),
            // The framework's and parsers' own messages name types and echo input: none is passed on.
            BadHttpRequestException { StatusCode: StatusCodes.Status413PayloadTooLarge } =>
                Create(ErrorCodes.ImageTooLarge, "The request body is larger than the service accepts."),
            BadHttpRequestException { StatusCode: StatusCodes.Status408RequestTimeout } e =>
                Create(ErrorCodes.InvalidRequest, "The request body arrived too slowly.", e.StatusCode),
            BadHttpRequestException e => Create(ErrorCodes.InvalidRequest,
                "The request is malformed: its framing, a query or route value, or its body cannot be read.", e.StatusCode),
            JsonException => Create(ErrorCodes.InvalidRequest, "The JSON body is malformed or has a value of the wrong type."),
            InvalidDataException => Create(ErrorCodes.InvalidRequest, "The request body is malformed."),
            _ => null,
        };

        if (problem is null || problem.Status >= 500)
        {
            LogFailure(logger, exception);
            problem ??= Create("internal_error", "The service failed; the request was not processed.");
            problem.Detail = problem.Status >= 500 && exception is not IdVerifyException ? "The service failed; the request was not processed." : problem.Detail;
        }

        if (problem.Extensions["code"] is ErrorCodes.NotReady)
        {
            httpContext.Response.Headers.RetryAfter = "5";
        }
        else if (problem.Extensions["code"] is ErrorCodes.Overloaded)
        {
            httpContext.Response.Headers.RetryAfter = "1";
        }
        else if (exception is SubjectLockedException locked)
        {
            httpContext.Response.Headers.RetryAfter = Math.Max(1, Math.Ceiling(locked.RetryAfter.TotalSeconds)).ToString(System.Globalization.CultureInfo.InvariantCulture);
        }
        else if (problem.Extensions["code"] is ErrorCodes.RequestTimeout)
        {
            // The rest of a stalled body is not worth waiting for: answer and close the connection.
            httpContext.Response.Headers.Connection = "close";
        }

        httpContext.Response.StatusCode = problem.Status!.Value;
        return await problems.TryWriteAsync(new ProblemDetailsContext
        {
            HttpContext = httpContext,
            ProblemDetails = problem,
            Exception = exception,
        });
    }

    [LoggerMessage(Level = LogLevel.Error, Message = "Request failed")]
    private static partial void LogFailure(ILogger logger, Exception exception);
}
