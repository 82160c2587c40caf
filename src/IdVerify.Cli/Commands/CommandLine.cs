using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
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

        return overrides;
    }

    /// <summary>Core's services for this command, registered as the service registers them.</summary>
    public ServiceProvider StartCore(CoreHost host) => host.Start(ConfigFile, Overrides());
}

/// <summary>Options of the commands that read a photo set.</summary>
public class DatasetSettings : ModelSettings
{
    [CommandOption("--faces <DIR>")]
    [System.ComponentModel.Description("Folder of photos (default: $IDVERIFY_FACES, else ../shared/faces beside the project).")]
    public string? Faces { get; init; }

    public string FacesFolder(ModelLocations locations) =>
        Faces ?? (Environment.GetEnvironmentVariable("IDVERIFY_FACES") is { Length: > 0 } configured
            ? configured
            : Path.GetFullPath(Path.Combine(locations.ModelDirectory, "..", "..", "shared", "faces")));
}

public static class CommandLine
{
    public const int Failed = 2;

    /// <summary>
    /// Runs the app; a known failure (a coded <see cref="IdVerifyException"/>, a file that cannot be read, a command
    /// line Spectre cannot parse or a setting its <c>Validate</c> refuses) prints one line on standard error and
    /// exits with <see cref="Failed"/>, never a stack trace. Anything else is a bug and keeps its trace.
    /// </summary>
    public static async Task<int> RunAsync(CommandApp app, string[] args)
    {
        try
        {
            return await app.RunAsync(args);
        }
        catch (IdVerifyException ex)
        {
            return Fail($"error {ex.Code}: {ex.Message}");
        }
        catch (Exception ex) when (ex is IOException or InvalidDataException or UnauthorizedAccessException)
        {
            return Fail($"error: {ex.Message}");
        }
        catch (CommandAppException ex)
        {
            // Unknown commands and options, values that do not convert, failed validation: the caller's input.
            return Fail($"error {ErrorCodes.InvalidRequest}: {ex.Message}");
        }
    }

    /// <summary>Plain text, one line whatever the terminal width (Spectre would wrap it), so scripts and logs read it whole.</summary>
    private static int Fail(string message)
    {
        Console.Error.WriteLine(string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)));
        return Failed;
    }
}
