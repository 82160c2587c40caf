using IdVerify.Core.Models;

namespace IdVerify.Api.Endpoints.Contracts;

/// <summary>The execution provider asked for, the one the sessions really run on, and why they differ.</summary>
public sealed record ExecutionProviderDto(string Requested, string Actual, string? FallbackReason)
{
    public static ExecutionProviderDto From(ExecutionProviderChoice p) => new(p.Requested, p.Actual, p.FallbackReason);
}
