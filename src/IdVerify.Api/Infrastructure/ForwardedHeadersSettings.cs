namespace IdVerify.Api.Infrastructure;

/// <summary>Configuration section <c>ForwardedHeaders</c>: off unless proxies are named.</summary>
public sealed class ForwardedHeadersSettings
{
    public const string Section = "ForwardedHeaders";

    /// <summary>Addresses of reverse proxies whose X-Forwarded-For / X-Forwarded-Proto are believed; from anyone else they are ignored.</summary>
    public List<string> KnownProxies { get; set; } = [];
}
