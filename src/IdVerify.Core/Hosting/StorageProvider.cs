namespace IdVerify.Core.Hosting;

/// <summary>Where the stores live (<c>Storage:Provider</c>).</summary>
public enum StorageProvider
{
    /// <summary>One SQLite file beside the service: one instance.</summary>
    Sqlite,

    /// <summary>A shared PostgreSQL database: any number of instances.</summary>
    Postgres,
}
