using System.Security.Cryptography;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using IdVerify.Core.Audit;
using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;

namespace IdVerify.Cli.Tests;

/// <summary><c>idverify audit verify</c> and <c>audit export</c> on a real log, tampered with as an attacker would: plain SQL.</summary>
public sealed partial class AuditCliTests : IDisposable
{
    private static readonly string Key = Convert.ToBase64String(Enumerable.Range(7, 32).Select(i => (byte)i).ToArray());

    private readonly string root = Directory.CreateTempSubdirectory("idverify-audit-").FullName;

    private string Database => Path.Combine(root, "idverify.db");

    private async Task WriteLogAsync(int records, string? key = null)
    {
        using var log = new SqliteAuditLog(new SqliteDatabase(Database), hmacKey: key is null ? null : Convert.FromBase64String(key));
        for (var i = 1; i <= records; i++)
        {
            await log.AppendAsync(new AuditEvent(i % 2 == 0 ? AuditActions.Verify : AuditActions.Enroll, i == 4 ? "no_face" : "ok", $"cust-{i}",
                "kiosk-7", $"req-{i}", new Dictionary<string, string?> { ["score"] = "0.7", ["decisionId"] = $"d{i}" }));
        }

        SqliteConnection.ClearAllPools();
    }

    private void Tamper(string sql)
    {
        using (var connection = new SqliteConnection($"Data Source={Database}"))
        {
            connection.Open();
            using var command = connection.CreateCommand();
            command.CommandText = "DROP TRIGGER audit_log_no_update; DROP TRIGGER audit_log_no_delete; " + sql;
            command.ExecuteNonQuery();
        }

        SqliteConnection.ClearAllPools();
    }

    private string Query(string sql)
    {
        using var connection = new SqliteConnection($"Data Source={Database};Mode=ReadOnly");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (string)command.ExecuteScalar()!;
    }

    [Fact]
    public async Task Audit_verify_passes_an_intact_log_with_exit_0()
    {
        await WriteLogAsync(5);

        var result = await CliRunner.RunAsync("audit", "verify", "--db", Database);

        Assert.True(result.ExitCode == 0, result.Output);
        Assert.Contains("audit log intact: 5 records, chained with SHA-256", result.Output, StringComparison.Ordinal);
        Assert.Contains("head: #5 ", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_verify_names_a_record_edited_with_plain_sql_and_exits_1()
    {
        await WriteLogAsync(5);
        Tamper("UPDATE audit_log SET outcome = 'ok' WHERE seq = 4");

        var result = await CliRunner.RunAsync("audit", "verify", "--db", Database);

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains("audit log BROKEN at record #4: its content does not give its hash (edited)", result.Output, StringComparison.Ordinal);
        Assert.Contains("record #4:", result.Output, StringComparison.Ordinal);
        Assert.Contains("subject cust-4", result.Output, StringComparison.Ordinal);
        Assert.Contains("intact up to #3", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_verify_finds_a_deleted_record_and_exits_1()
    {
        await WriteLogAsync(5);
        Tamper("DELETE FROM audit_log WHERE seq = 2");

        var result = await CliRunner.RunAsync("audit", "verify", "--db", Database);

        Assert.True(result.ExitCode == 1, result.Output);
        Assert.Contains("audit log BROKEN at record #3: record #2 is missing (deleted)", result.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_verify_finds_a_record_rehashed_without_the_hmac_key_and_exits_1()
    {
        await WriteLogAsync(3, Key);
        // Edited and rehashed with SHA-256, as someone who knows the format but not the key would.
        string Column(string name) => Query($"SELECT {name} FROM audit_log WHERE seq = 2");
        var content = AuditChain.Content(2, Column("time"), AuditActions.Verify, "ok", "cust-9", "kiosk-7", "req-2", Column("details"), Column("key_id"));
        Tamper($"UPDATE audit_log SET subject_id = 'cust-9', hash = '{AuditChain.UnkeyedHash(Column("prev_hash"), content)}' WHERE seq = 2");

        var withKey = await CliRunner.RunAsync("audit", "verify", "--db", Database, "--key", Key);
        var withoutKey = await CliRunner.RunAsync("audit", "verify", "--db", Database);

        Assert.True(withKey.ExitCode == 1, withKey.Output);
        Assert.Contains("BROKEN at record #2: its content does not give its hash (edited)", withKey.Output, StringComparison.Ordinal);
        Assert.Contains($"HMAC-SHA256 under key {AuditChain.KeyIdOf(Convert.FromBase64String(Key))}", withKey.Output, StringComparison.Ordinal);
        Assert.True(withoutKey.ExitCode == 2, withoutKey.Output);
        Assert.Contains("give that key (Audit:HmacKey)", withoutKey.Output, StringComparison.Ordinal);
    }

    [Fact]
    public async Task Audit_export_writes_each_record_as_a_line_that_rehashes_to_its_hash()
    {
        await WriteLogAsync(3);
        var output = Path.Combine(root, "audit.jsonl");

        var result = await CliRunner.RunAsync("audit", "export", "--format", "jsonl", "--db", Database, "--out", output);
        var stdout = await CliRunner.RunAsync("audit", "export", "--db", Database, "--after", "2");

        Assert.True(result.ExitCode == 0, result.Output);
        var lines = await File.ReadAllLinesAsync(output);
        Assert.Equal(3, lines.Length);
        var previous = AuditChain.Genesis;
        foreach (var line in lines)
        {
            // What a SIEM does: take out hash and prev_hash, hash prev_hash + the rest (already canonical).
            var json = JsonDocument.Parse(line).RootElement;
            var (hash, prevHash) = (json.GetProperty("hash").GetString()!, json.GetProperty("prev_hash").GetString()!);
            var content = HashFields().Replace(line, "");
            Assert.Equal(previous, prevHash);
            Assert.Equal(hash, Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(prevHash + content))));
            previous = hash;
        }

        Assert.Equal("kiosk-7", JsonDocument.Parse(lines[0]).RootElement.GetProperty("actor").GetString());
        Assert.True(stdout.ExitCode == 0, stdout.Output);
        Assert.Equal(lines[2], Assert.Single(stdout.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries)));
    }

    [GeneratedRegex("\"hash\":\"[0-9a-f]{64}\",|,\"prev_hash\":\"[0-9a-f]{64}\"")]
    private static partial Regex HashFields();

    public void Dispose()
    {
        SqliteConnection.ClearAllPools();
        Directory.Delete(root, recursive: true);
    }
}
