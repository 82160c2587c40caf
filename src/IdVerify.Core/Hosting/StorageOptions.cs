using System.ComponentModel.DataAnnotations;

namespace IdVerify.Core.Hosting;

/// <summary>Configuration section <c>Storage</c>.</summary>
public sealed class StorageOptions
{
    public const string Section = "Storage";

    public StorageProvider Provider { get; set; } = StorageProvider.Sqlite;

    /// <summary>
    /// The SQLite file; relative paths are under the content root (the service's project folder, or the working directory).
    /// With PostgreSQL its folder still holds the instance's local files (the initial API key).
    /// </summary>
    [Required]
    public string SqlitePath { get; set; } = "data/idverify.db";

    /// <summary>The PostgreSQL connection string (Npgsql form: <c>Host=…;Port=5432;Username=…;Password=…;Database=…</c>), for the postgres provider.</summary>
    public string ConnectionString { get; set; } = "";
}
