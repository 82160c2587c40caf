using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Hosting;
using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;
using Spectre.Console.Cli;

namespace IdVerify.Cli.Commands;

public class TemplateStoreSettings : ModelSettings
{
    [CommandOption("--db <FILE>")]
    [Description("The service's SQLite file (Storage:SqlitePath).")]
    public string Database { get; init; } = Path.Combine("src", "IdVerify.Api", "data", "idverify.db");

    public override Dictionary<string, string?> Overrides()
    {
        var overrides = base.Overrides();
        overrides["Storage:SqlitePath"] = Path.GetFullPath(Database);
        return overrides;
    }

    /// <summary>
    /// The service's store: with SQLite, opened only when the file exists (a typo must not create an empty database), and a
    /// file SQLite cannot open as a template store is refused in one line; with PostgreSQL (Storage:Provider in --config), the
    /// configured database.
    /// </summary>
    public ServiceProvider StartStore(CoreHost host)
    {
        var core = StartCore(host);
        if (OnPostgres(core))
        {
            return core;
        }

        if (!File.Exists(Database))
        {
            core.Dispose();
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{Database} does not exist.");
        }

        try
        {
            core.GetRequiredService<SqliteDatabase>();
            return core;
        }
        catch (SqliteException ex)
        {
            core.Dispose();
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{Database} is not a template database: {ex.Message}", ex);
        }
    }

    public static bool OnPostgres(IServiceProvider core) =>
        core.GetRequiredService<IOptions<StorageOptions>>().Value.Provider == StorageProvider.Postgres;
}
