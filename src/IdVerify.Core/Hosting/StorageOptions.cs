using System.ComponentModel.DataAnnotations;

namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    /// <summary>The SQLite file; relative paths are under the content root (the service's project folder, or the working directory).</summary>
    [Required]
    public string SqlitePath { get; set; } = "data/idverify.db";
}
