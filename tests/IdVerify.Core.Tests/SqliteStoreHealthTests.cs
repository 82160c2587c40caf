using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;

namespace IdVerify.Core.Tests;

public sealed class SqliteStoreHealthTests
{
    [Fact]
    public async Task Store_health_is_good_on_a_writable_file_and_names_the_file_once_its_folder_is_gone()
    {
        var folder = Directory.CreateTempSubdirectory("idverify-health-").FullName;
        var database = new SqliteDatabase(Path.Combine(folder, "idverify.db"));
        var health = new SqliteStoreHealth(database);
        Assert.Null(await health.CheckAsync());

        // The data volume unmounted or removed under a running service: its next decision write would fail.
        SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
        var problem = await health.CheckAsync();

        Assert.NotNull(problem);
        Assert.Contains(database.Path, problem, StringComparison.Ordinal);
    }
}
