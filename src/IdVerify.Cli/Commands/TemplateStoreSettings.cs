using System.ComponentModel;
using IdVerify.Cli.Infrastructure;
using IdVerify.Core;
using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;
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
    /// The service's store, opened only when the file exists (a typo must not create an empty database); a file SQLite
    /// cannot open as a template store is refused in one line.
    /// </summary>
    public ServiceProvider StartStore(CoreHost host)
    {
        if (!File.Exists(Database))
        {
            throw new IdVerifyException(ErrorCodes.InvalidRequest, $"{Database} does not exist.");
        }

        var core = StartCore(host);
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
}
