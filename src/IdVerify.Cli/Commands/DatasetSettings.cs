using IdVerify.Core.Models;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

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
