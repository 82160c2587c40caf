using Microsoft.AspNetCore.Http.Features;
using Microsoft.AspNetCore.Server.Kestrel.Core;

namespace IdVerify.Api.Infrastructure;

/// <summary>
/// Kestrel answers a request line or header block past its limits itself, before any middleware runs, with an empty
/// body; that answer cannot be customised (aspnetcore #4726). So Kestrel's limits are set to twice the documented
/// ones, and this filter, first in the pipeline, enforces the documented ones with a problem body: only a request past
/// twice a limit still gets Kestrel's bare 414 or 431, as does one Kestrel cannot parse at all (its bare 400).
/// </summary>
internal sealed class HttpLimitsStartupFilter : IStartupFilter
{
    /// <summary>Kestrel's defaults, which clients already live within.</summary>
    public const int MaxRequestLine = 8 * 1024;

    public const int MaxHeadersTotal = 32 * 1024;

    public const int MaxHeaderCount = 100;

    public static void RaiseKestrelLimits(KestrelServerOptions kestrel)
    {
        kestrel.Limits.MaxRequestLineSize = 2 * MaxRequestLine;
        kestrel.Limits.MaxRequestHeadersTotalSize = 2 * MaxHeadersTotal;
        kestrel.Limits.MaxRequestHeaderCount = 2 * MaxHeaderCount;
    }

    public Action<IApplicationBuilder> Configure(Action<IApplicationBuilder> next) => app =>
    {
        app.Use(async (context, following) =>
        {
            if (Check(context) is not { } problem)
            {
                await following(context);
                return;
            }

            context.Response.StatusCode = problem.Status!.Value;
            await context.RequestServices.GetRequiredService<IProblemDetailsService>()
                .WriteAsync(new ProblemDetailsContext { HttpContext = context, ProblemDetails = problem });
        });
        next(app);
    };

    private static Microsoft.AspNetCore.Mvc.ProblemDetails? Check(HttpContext context)
    {
        var request = context.Request;
        var target = context.Features.Get<IHttpRequestFeature>()?.RawTarget is { Length: > 0 } raw
            ? raw.Length
            : (request.Path.Value?.Length ?? 0) + (request.QueryString.Value?.Length ?? 0);
        var line = request.Method.Length + target + request.Protocol.Length + 4;
        if (line > MaxRequestLine)
        {
            return ProblemMapping.Create(ProblemMapping.UriTooLong, $"The request line is {line:N0} bytes; the limit is {MaxRequestLine:N0}.");
        }

        long size = 0, count = 0;
        foreach (var (name, values) in request.Headers)
        {
            foreach (var value in values)
            {
                size += name.Length + (value?.Length ?? 0) + 4;
                count++;
            }
        }

        return size > MaxHeadersTotal || count > MaxHeaderCount
            ? ProblemMapping.Create(ProblemMapping.HeadersTooLarge,
                $"The request has {count:N0} header lines, {size:N0} bytes; the limits are {MaxHeaderCount} lines and {MaxHeadersTotal:N0} bytes.")
            : null;
    }
}
