using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Liveness;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

/// <summary>The SQLite stores over one temporary file.</summary>
public sealed class SqliteStoreBackend : IStoreBackend
{
    private readonly TempDatabase database = new();
    private readonly List<IDisposable> logs = [];

    public ITemplateStore Templates(DataKeyRing keys) => new SqliteTemplateStore(database.Open(), keys);

    public IChallengeStore Challenges() => new SqliteChallengeStore(database.Open());

    public ISubjectAttemptStore Attempts() => new SqliteSubjectAttemptStore(database.Open());

    public IDecisionLog Decisions() => new SqliteDecisionLog(database.Open());

    public IApiKeyStore ApiKeys() => new SqliteApiKeyStore(database.Open());

    public IAuditLog AuditLog()
    {
        var log = new SqliteAuditLog(database.Open());
        logs.Add(log);
        return log;
    }

    public void Dispose()
    {
        logs.ForEach(l => l.Dispose());
        database.Dispose();
    }
}
