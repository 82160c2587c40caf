using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Liveness;
using IdVerify.Core.Templates;
using IdVerify.Tests;

namespace IdVerify.Core.Tests;

/// <summary>The PostgreSQL stores over one fresh database on the test server (<see cref="PostgresTestDatabase"/>).</summary>
public sealed class PostgresStoreBackend : IStoreBackend
{
    private readonly PostgresTestDatabase server = new();
    private readonly List<PostgresDatabase> opened = [];

    public string ConnectionString => server.ConnectionString;

    public ITemplateStore Templates(DataKeyRing keys) => new PostgresTemplateStore(Open(), keys);

    public IChallengeStore Challenges() => new PostgresChallengeStore(Open());

    public ISubjectAttemptStore Attempts() => new PostgresSubjectAttemptStore(Open());

    public IDecisionLog Decisions() => new PostgresDecisionLog(Open());

    public IApiKeyStore ApiKeys() => new PostgresApiKeyStore(Open());

    public IAuditLog AuditLog() => new PostgresAuditLog(Open());

    /// <summary>The database as a newly started instance opens it (migrating under the advisory lock).</summary>
    public PostgresDatabase Open()
    {
        var database = new PostgresDatabase(server.ConnectionString);
        lock (opened)
        {
            opened.Add(database);
        }

        return database;
    }

    public void Dispose()
    {
        opened.ForEach(d => d.Dispose());
        server.Dispose();
    }
}
