using Microsoft.Extensions.Options;

namespace IdVerify.Api.Infrastructure;

/// <summary><c>Auth:Mode=open</c> serves everything without a key, so it is refused at start unless only this machine can connect.</summary>
public sealed class AuthSettingsValidation(IConfiguration configuration) : IValidateOptions<AuthSettings>
{
    public ValidateOptionsResult Validate(string? name, AuthSettings options)
    {
        if (options.KeyCacheTtl < TimeSpan.Zero || options.KeyCacheTtl > TimeSpan.FromMinutes(5))
        {
            return ValidateOptionsResult.Fail("Auth:KeyCacheTtl must be between 0 and 5 minutes.");
        }

        if (options.Mode == AuthMode.Open && ListenAddresses.NonLoopback(configuration) is { Count: > 0 } exposed)
        {
            return ValidateOptionsResult.Fail(
                $"Auth:Mode=open serves every route without a key, so it is allowed only when every listen address is loopback; " +
                $"{string.Join(", ", exposed)} is not. Use API keys (Auth:Mode=keys) or listen on http://localhost.");
        }

        return ValidateOptionsResult.Success;
    }
}
