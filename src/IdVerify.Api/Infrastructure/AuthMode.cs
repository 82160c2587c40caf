namespace IdVerify.Api.Infrastructure;

public enum AuthMode
{
    /// <summary>Every route but health and OpenAPI needs an API key with the route's scope.</summary>
    Keys,

    /// <summary>Every route is served without a key: a developer's machine, allowed only on loopback addresses.</summary>
    Open,
}
