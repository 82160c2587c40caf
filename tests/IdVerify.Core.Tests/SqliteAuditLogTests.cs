using System.Security.Cryptography;
using System.Text;
using IdVerify.Core.Audit;
using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.Time.Testing;

namespace IdVerify.Core.Tests;

public sealed class SqliteAuditLogTests : IDisposable
{
    private static readonly DateTimeOffset Start = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);
    private static readonly byte[] Key = Enumerable.Range(1, 32).Select(i => (byte)i).ToArray();

    private readonly TempDatabase database = new();
    private readonly FakeTimeProvider clock = new(Start);

    private SqliteAuditLog Log(byte[]? key = null) => new(database.Open(), clock, key);

    private static AuditEvent Event(string subject = "ivy", string outcome = "ok", string action = AuditActions.Verify) =>
        new(action, outcome, subject, "kiosk-7", "0HN:0001", new Dictionary<string, string?> { ["score"] = "0.71", ["decisionId"] = "d1" });

    private async Task<SqliteAuditLog> AppendAsync(int count, byte[]? key = null)
    {
        var log = Log(key);
        for (var i = 0; i < count; i++)
        {
            await log.AppendAsync(Event(subject: $"s{i + 1}"));
            clock.Advance(TimeSpan.FromSeconds(1));
        }

        return log;
    }

    private async Task<IReadOnlyList<AuditRecord>> AllAsync(SqliteAuditLog log) =>
        (await log.ReadAsync(new AuditFilter(), new AuditPageRequest(Limit: AuditPageRequest.MaxLimit))).Records;

    [Fact]
    public async Task Appends_are_numbered_and_each_points_at_the_hash_before_it()
    {
        using var log = await AppendAsync(3);

        var records = await AllAsync(log);

        Assert.Equal([1L, 2L, 3L], records.Select(r => r.Sequence));
        Assert.Equal(AuditChain.Genesis, records[0].PrevHash);
        Assert.Equal(records[0].Hash, records[1].PrevHash);
        Assert.Equal(records[1].Hash, records[2].PrevHash);
        Assert.Equal(Start.AddSeconds(1), records[1].Time);
        Assert.Equal(("kiosk-7", "0HN:0001", "s2", "0.71"), (records[1].Actor, records[1].RequestId, records[1].SubjectId, records[1].Details["score"]));
        Assert.True((await log.VerifyChainAsync()).Intact);
    }

    [Fact]
    public async Task The_hash_is_sha256_of_the_previous_hash_and_the_sorted_canonical_json()
    {
        using var log = Log();
        await log.AppendAsync(new AuditEvent(AuditActions.Enroll, "ok", "ivy", null, "r1",
            new Dictionary<string, string?> { ["zeta"] = "a\"b\n", ["alpha"] = "é", ["none"] = null }));

        var record = Assert.Single(await AllAsync(log));

        // Written out by hand, as a SIEM would rebuild it (json.dumps(sort_keys=True, separators=(",", ":"), ensure_ascii=False)).
        const string content = """{"action":"enroll","actor":null,"details":{"alpha":"é","none":null,"zeta":"a\"b\n"},"key_id":null,"outcome":"ok","request_id":"r1","seq":1,"subject_id":"ivy","time":"2026-05-01T09:30:00.0000000Z"}""";
        var expected = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(AuditChain.Genesis + content)));
        Assert.Equal(expected, record.Hash);
        Assert.Equal("""{"alpha":"é","none":null,"zeta":"a\"b\n"}""", RawColumn("details", 1));
    }

    [Fact]
    public async Task An_hmac_key_changes_every_hash_and_only_that_key_verifies_the_log()
    {
        using var plain = await AppendAsync(2);
        var plainHashes = (await AllAsync(plain)).Select(r => r.Hash).ToList();
        using var other = new TempDatabase();
        using var keyed = new SqliteAuditLog(other.Open(), new FakeTimeProvider(Start), Key);
        await keyed.AppendAsync(Event(subject: "s1"));

        var record = Assert.Single(await AllAsync(keyed));
        var content = AuditChain.Content(1, "2026-05-01T09:30:00.0000000Z", AuditActions.Verify, "ok", "s1", "kiosk-7", "0HN:0001",
            """{"decisionId":"d1","score":"0.71"}""", AuditChain.KeyIdOf(Key));

        Assert.NotEqual(plainHashes[0], record.Hash);
        Assert.Equal(Convert.ToHexStringLower(HMACSHA256.HashData(Key, Encoding.UTF8.GetBytes(AuditChain.Genesis + content))), record.Hash);
        Assert.Equal(AuditChain.KeyIdOf(Key), record.KeyId);
        Assert.True((await keyed.VerifyChainAsync()).Intact);
        using var wrongKey = new SqliteAuditLog(other.Open(), null, [.. Key.Reverse()]);
        Assert.Equal(AuditBreakKind.OtherKey, (await wrongKey.VerifyChainAsync()).Break?.Kind);
        using var noKey = new SqliteAuditLog(other.Open());
        var refused = await Assert.ThrowsAsync<IdVerifyException>(() => noKey.VerifyChainAsync());
        Assert.Equal(ErrorCodes.InvalidRequest, refused.Code);
    }

    [Fact]
    public async Task Parallel_appends_from_two_writers_never_fork_the_chain()
    {
        // Two logs on two database objects: as the service and the CLI would be, only SQLite's lock serialises them.
        using var first = new SqliteAuditLog(database.Open());
        using var second = new SqliteAuditLog(database.Open());
        await Task.WhenAll(Enumerable.Range(0, 8).Select(w => Task.Run(async () =>
        {
            for (var i = 0; i < 25; i++)
            {
                await (w % 2 == 0 ? first : second).AppendAsync(Event(subject: $"w{w}-{i}"));
            }
        })));

        var records = new List<AuditRecord>();
        for (var page = new AuditPage([], 0); page.Next is { } after;)
        {
            page = await first.ReadAsync(new AuditFilter(), new AuditPageRequest(after, 64));
            records.AddRange(page.Records);
        }

        Assert.Equal(Enumerable.Range(1, 200).Select(i => (long)i), records.Select(r => r.Sequence));
        Assert.Equal(200, records.Select(r => r.PrevHash).Distinct().Count());
        Assert.All(records.Skip(1).Zip(records), pair => Assert.Equal(pair.Second.Hash, pair.First.PrevHash));
        var report = await second.VerifyChainAsync();
        Assert.True(report.Intact, report.Break?.Reason);
        Assert.Equal((200L, records[^1].Hash), (report.Records, report.LastHash));
    }

    [Fact]
    public async Task An_edited_record_is_the_first_broken_one()
    {
        using var log = await AppendAsync(5);

        Tamper("UPDATE audit_log SET outcome = 'no_face' WHERE seq = 3");

        var report = await log.VerifyChainAsync();
        Assert.Equal((3L, AuditBreakKind.Edited), (report.Break!.Sequence, report.Break.Kind));
        Assert.Equal("no_face", report.Break.Record!.Outcome);
        Assert.Equal(2, report.LastSequence);
    }

    [Fact]
    public async Task A_record_edited_past_parsing_is_named_by_verify_and_refused_by_reads()
    {
        using var log = await AppendAsync(3);

        Tamper("UPDATE audit_log SET time = 'yesterday' WHERE seq = 2");

        var broken = (await log.VerifyChainAsync()).Break!;
        Assert.Equal((2L, AuditBreakKind.Edited, null), (broken.Sequence, broken.Kind, broken.Record));
        var refused = await Assert.ThrowsAsync<IdVerifyException>(() => AllAsync(log));
        Assert.Equal(ErrorCodes.AuditLogUnreadable, refused.Code);
    }

    [Fact]
    public async Task A_deleted_record_breaks_the_chain_at_the_one_after_it()
    {
        using var log = await AppendAsync(5);

        Tamper("DELETE FROM audit_log WHERE seq = 3");

        var broken = (await log.VerifyChainAsync()).Break!;
        Assert.Equal((4L, AuditBreakKind.Missing), (broken.Sequence, broken.Kind));
        Assert.Contains("#3", broken.Reason, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reordered_records_break_the_chain()
    {
        using var log = await AppendAsync(4);

        Tamper("UPDATE audit_log SET seq = 100 WHERE seq = 2; UPDATE audit_log SET seq = 2 WHERE seq = 3; UPDATE audit_log SET seq = 3 WHERE seq = 100");

        Assert.Equal((2L, AuditBreakKind.Relinked), ((await log.VerifyChainAsync()).Break!.Sequence, (await log.VerifyChainAsync()).Break!.Kind));
    }

    [Fact]
    public async Task A_deleted_tail_is_reported_and_later_appends_keep_the_gap()
    {
        using var log = await AppendAsync(5);

        Tamper("DELETE FROM audit_log WHERE seq >= 4");
        var truncated = (await log.VerifyChainAsync()).Break!;
        await log.AppendAsync(Event());

        Assert.Equal((4L, AuditBreakKind.Truncated), (truncated.Sequence, truncated.Kind));
        Assert.Equal((6L, AuditBreakKind.Missing), ((await log.VerifyChainAsync()).Break!.Sequence, (await log.VerifyChainAsync()).Break!.Kind));
    }

    [Fact]
    public async Task A_keyless_record_after_keyed_ones_is_a_downgrade()
    {
        using var log = await AppendAsync(3, Key);
        var third = (await AllAsync(log))[2];

        // Rewritten by someone without the key: a correct SHA-256 over correct content, but no key.
        var content = AuditChain.Content(3, RawColumn("time", 3), third.Action, "ok", "mallory", third.Actor, third.RequestId,
            RawColumn("details", 3), null);
        Tamper($"UPDATE audit_log SET subject_id = 'mallory', key_id = NULL, hash = '{AuditChain.UnkeyedHash(third.PrevHash, content)}' WHERE seq = 3");

        Assert.Equal((3L, AuditBreakKind.Downgraded), ((await log.VerifyChainAsync()).Break!.Sequence, (await log.VerifyChainAsync()).Break!.Kind));
    }

    [Fact]
    public async Task The_table_refuses_updates_and_deletes()
    {
        using var log = await AppendAsync(1);
        using var connection = new SqliteConnection($"Data Source={database.Path}");
        connection.Open();
        using var command = connection.CreateCommand();

        command.CommandText = "UPDATE audit_log SET outcome = 'x'";
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => command.ExecuteNonQuery()).Message, StringComparison.Ordinal);
        command.CommandText = "DELETE FROM audit_log";
        Assert.Contains("append-only", Assert.Throws<SqliteException>(() => command.ExecuteNonQuery()).Message, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Reads_filter_by_subject_action_and_time_and_page_by_sequence()
    {
        using var log = Log();
        await log.AppendAsync(Event(subject: "ann", action: AuditActions.Enroll));
        clock.Advance(TimeSpan.FromMinutes(1));
        await log.AppendAsync(Event(subject: "bob"));
        await log.AppendAsync(Event(subject: "ann", outcome: "no_face"));
        clock.Advance(TimeSpan.FromMinutes(1));
        await log.AppendAsync(Event(subject: "ann"));

        var ann = await log.ReadAsync(new AuditFilter(SubjectId: "ann"), new AuditPageRequest(Limit: 2));
        var rest = await log.ReadAsync(new AuditFilter(SubjectId: "ann"), new AuditPageRequest(ann.Next!.Value, 2));
        var minuteOne = await log.ReadAsync(new AuditFilter(From: Start.AddMinutes(1), To: Start.AddMinutes(2)), new AuditPageRequest());
        var verifies = await log.ReadAsync(new AuditFilter(SubjectId: "ann", Action: AuditActions.Verify), new AuditPageRequest());

        Assert.Equal([1L, 3L], ann.Records.Select(r => r.Sequence));
        Assert.Equal(3L, ann.Next);
        Assert.Equal([4L], rest.Records.Select(r => r.Sequence));
        Assert.Null(rest.Next);
        Assert.Equal([2L, 3L], minuteOne.Records.Select(r => r.Sequence));
        Assert.Equal(["no_face", "ok"], verifies.Records.Select(r => r.Outcome));
    }

    /// <summary>What an attacker with the file does: drops the append-only triggers and edits with plain SQL.</summary>
    private void Tamper(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={database.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sql;
        command.ExecuteNonQuery();
    }

    private string RawColumn(string column, long sequence)
    {
        using var connection = new SqliteConnection($"Data Source={database.Path}");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = $"SELECT {column} FROM audit_log WHERE seq = {sequence}";
        return (string)command.ExecuteScalar()!;
    }

    public void Dispose() => database.Dispose();
}
