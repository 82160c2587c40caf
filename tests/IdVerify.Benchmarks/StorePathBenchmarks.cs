using BenchmarkDotNet.Attributes;
using IdVerify.Core.Audit;
using IdVerify.Core.Templates;

namespace IdVerify.Benchmarks;

/// <summary>
/// What the security work added to a verify's store path, on a real SQLite file in WAL mode: reading a subject whose
/// template is sealed against one stored in clear, the attempt count, and the decision and audit appends.
/// </summary>
[MemoryDiagnoser]
public class StorePathBenchmarks
{
    private readonly string folder = Directory.CreateTempSubdirectory("idverify-bench-store-").FullName;
    private SqliteTemplateStore store = null!;
    private SqliteSubjectAttemptStore attempts = null!;
    private SqliteDecisionLog decisions = null!;
    private SqliteAuditLog audit = null!;
    private readonly AttemptLimits limits = new(10, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));

    [GlobalSetup]
    public async Task Setup()
    {
        var database = new SqliteDatabase(Path.Combine(folder, "bench.db"));
        store = new SqliteTemplateStore(database, DataKeyRing.CreateNew());
        attempts = new SqliteSubjectAttemptStore(database);
        decisions = new SqliteDecisionLog(database);
        audit = new SqliteAuditLog(database);
        var embedding = Enumerable.Range(0, 128).Select(i => MathF.Sin(i) / 8f).ToArray();
        var quality = new TemplateQuality(0.9f, 120, 150, 60, 0.98f);
        await store.AddTemplatesAsync("sealed", [new FaceTemplate("t-sealed", "sealed", embedding, "e", "h", DateTimeOffset.UtcNow, quality)],
            replace: false, maxTemplates: 10);
        using var connection = database.Open();
        using var command = connection.CreateCommand();
        command.CommandText = """
            INSERT INTO subjects VALUES ('clear', '2026-01-01T00:00:00.0000000Z', '2026-01-01T00:00:00.0000000Z');
            INSERT INTO templates (template_id, subject_id, embedding, dimensions, embedder_id, embedder_sha256, created_at, quality)
            VALUES ('t-clear', 'clear', zeroblob(512), 128, 'e', 'h', '2026-01-01T00:00:00.0000000Z', '{"DetectionScore":0.9}');
            """;
        command.ExecuteNonQuery();
    }

    [Benchmark(Baseline = true)]
    public Task<Subject?> ReadSubjectStoredInClear() => store.GetSubjectAsync("clear");

    [Benchmark]
    public Task<Subject?> ReadSubjectSealed() => store.GetSubjectAsync("sealed");

    [Benchmark]
    public Task<AttemptState> ReadAttempts() => attempts.GetAsync("sealed");

    [Benchmark]
    public Task<AttemptState> RecordSuccessfulAttempt() => attempts.RecordAsync("sealed", verified: true, DateTimeOffset.UtcNow, limits);

    [Benchmark]
    public Task RecordDecision() => decisions.RecordDecisionAsync(new DecisionRecord(Guid.NewGuid().ToString("N"), "sealed", DateTimeOffset.UtcNow,
        true, true, 0.8f, 0.3f, 1e-3, true, 0.99f, "d", "e", "l"));

    [Benchmark]
    public Task AppendAudit() => audit.AppendAsync(new AuditEvent(AuditActions.Verify, "ok", "sealed", "kiosk-1", "req",
        new Dictionary<string, string?> { ["score"] = "0.8", ["verified"] = "true" }));

    [GlobalCleanup]
    public void Cleanup()
    {
        audit.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Directory.Delete(folder, recursive: true);
    }
}
