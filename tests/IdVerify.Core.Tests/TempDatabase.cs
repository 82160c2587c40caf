using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;

namespace IdVerify.Core.Tests;

/// <summary>A SQLite file in its own temp folder, deleted with the test class; <see cref="Open"/> opens it as the service would.</summary>
public sealed class TempDatabase : IDisposable
{
    private readonly string directory = Directory.CreateTempSubdirectory("idverify-store-").FullName;

    public string Path => System.IO.Path.Combine(directory, "templates.db");

    public SqliteDatabase Open() => new(Path);

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(directory, recursive: true);
    }
}
