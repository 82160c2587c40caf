using IdVerify.Core.Models;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.Configuration.EnvironmentVariables;
using Microsoft.Extensions.Configuration.Json;

namespace IdVerify.Core.Hosting;

/// <summary>
/// Reads models/active.json (the bundle a swap or <c>idverify models use</c> activated) as configuration, above the
/// configuration files and below environment variables and the command line, for the service and the CLI alike.
/// </summary>
public static class ActiveBundleConfiguration
{
    public static IConfigurationBuilder AddActiveBundle(this IConfigurationBuilder builder, IConfiguration current)
    {
        var path = current[$"{ModelOptions.Section}:{nameof(ModelOptions.ActiveFile)}"] is { Length: > 0 } configured
            ? configured
            : Discover(current);
        if (path is null)
        {
            return builder;
        }

        var source = new JsonConfigurationSource { Path = Path.GetFullPath(path), Optional = true, ReloadOnChange = false };
        source.ResolveFileProvider();
        var environment = builder.Sources.ToList().FindIndex(s => s is EnvironmentVariablesConfigurationSource);
        builder.Sources.Insert(environment < 0 ? builder.Sources.Count : environment, source);
        return builder;
    }

    private static string? Discover(IConfiguration current)
    {
        try
        {
            return ModelLocations.Discover(current[$"{ModelOptions.Section}:{nameof(ModelOptions.Directory)}"],
                current[$"{ModelOptions.Section}:{nameof(ModelOptions.Source)}"]).ActiveFile;
        }
        catch (IdVerifyException)
        {
            return null;
        }
    }
}
