using IdVerify.Cli.Infrastructure;
using IdVerify.Core.Models;
using Microsoft.Extensions.DependencyInjection;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

/// <summary>Options every command shares: the service's configuration, where the models are and where to pull them from.</summary>
public class ModelSettings : CommandSettings
{
    [CommandOption("--config <FILE>")]
    [System.ComponentModel.Description("An appsettings-shaped JSON file: the service's configuration to decide with (environment variables apply over it, as in the service).")]
    public string? ConfigFile { get; init; }

    [CommandOption("--models <DIR>")]
    [System.ComponentModel.Description("Folder holding manifest.json and the model files (default: the nearest models/ above here).")]
    public string? ModelDirectory { get; init; }

    [CommandOption("--source <DIR>")]
    [System.ComponentModel.Description("Folder to pull model files from (default: $IDVERIFY_MODEL_SOURCE, else ../shared/models).")]
    public string? Source { get; init; }

    [CommandOption("--detector <ID>")]
    [System.ComponentModel.Description("Detector model id to use instead of the configured one (Models:Detector), such as yunet-2026may.")]
    public string? Detector { get; init; }

    public ModelLocations Locations() => ModelLocations.Discover(ModelDirectory, Source);

    /// <summary>The command's flags as configuration keys, applied over every other source.</summary>
    public virtual Dictionary<string, string?> Overrides()
    {
        var overrides = new Dictionary<string, string?>();
        if (ModelDirectory is { Length: > 0 })
        {
            overrides["Models:Directory"] = ModelDirectory;
        }

        if (Source is { Length: > 0 })
        {
            overrides["Models:Source"] = Source;
        }

        if (Detector is { Length: > 0 })
        {
            overrides["Models:Detector"] = Detector;
        }

        return overrides;
    }

    /// <summary>Core's services for this command, registered as the service registers them.</summary>
    public ServiceProvider StartCore(CoreHost host) => host.Start(ConfigFile, Overrides());
}
