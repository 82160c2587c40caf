using System.Net;
using System.Runtime.InteropServices;
using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using Microsoft.Data.Sqlite;
using Microsoft.Extensions.DependencyInjection;

namespace IdVerify.Api.Tests;

/// <summary>
/// What protects an enrolled customer: attempt limits (NIST SP 800-63B §5.2.3), the same-face rule for adding templates,
/// templates sealed at rest, and erasure in one step. Each test builds its own service over its own SQLite file.
/// </summary>
public sealed class SubjectProtectionApiTests
{
    private const string Obama = "face_recognition/examples/knn_examples/train/obama/obama.jpg";
    private const string Obama2 = "face_recognition/examples/knn_examples/train/obama/obama2.jpg";
    private const string Obama3 = "face_recognition/tests/test_images/obama3.jpg";
    private const string Biden = "face_recognition/examples/knn_examples/train/biden/biden.jpg";

    [Fact]
    public async Task A_subject_locks_after_consecutive_failed_verifies_with_a_doubling_back_off_and_a_success_resets_it()
    {
        using var factory = new ApiFactory();
        factory.Settings["Security:MaxConsecutiveFailures"] = "2";
        var client = factory.CreateClient();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form("acct-1", Obama))).EnsureSuccessStatusCode();

        // Two impostor attempts are decisions (200, not verified); the second reaches the limit.
        for (var i = 0; i < 2; i++)
        {
            var failed = await (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-1", Biden))).Json();
            Assert.False(failed.GetProperty("verified").GetBoolean());
        }

        // Locked: even the owner waits out the back-off, and no work is done.
        var locked = await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-1", Obama3));
        await locked.AssertProblem(429, "subject_locked");
        Assert.Equal(TimeSpan.FromSeconds(30), locked.Headers.RetryAfter!.Delta);

        // After the lock, one more failure locks again, twice as long.
        factory.Time.Advance(TimeSpan.FromSeconds(31));
        (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-1", Biden))).EnsureSuccessStatusCode();
        var relocked = await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-1", Obama3));
        await relocked.AssertProblem(429, "subject_locked");
        Assert.Equal(TimeSpan.FromSeconds(60), relocked.Headers.RetryAfter!.Delta);

        // The owner, once the lock has passed, verifies; the count starts again from zero.
        factory.Time.Advance(TimeSpan.FromSeconds(61));
        var owner = await (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-1", Obama3))).Json();
        Assert.True(owner.GetProperty("verified").GetBoolean());
        (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-1", Biden))).EnsureSuccessStatusCode();
        var stillOpen = await (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-1", Obama3))).Json();
        Assert.True(stillOpen.GetProperty("verified").GetBoolean());

        // The audit log shows the lock as it happened: the failure that locked (and until when), the refusals while locked.
        var verifies = (await factory.Services.GetRequiredService<IAuditTrail>().ReadAsync(new AuditFilter("acct-1", Action: AuditActions.Verify),
            new AuditPageRequest())).Records;
        Assert.Equal(["ok", "ok", "subject_locked", "ok", "subject_locked", "ok", "ok", "ok"], verifies.Select(r => r.Outcome));
        Assert.True(verifies[1].Details.ContainsKey("lockedUntil"));
        Assert.True(verifies[3].Details.ContainsKey("lockedUntil"));
        Assert.False(verifies[0].Details.ContainsKey("lockedUntil"));
    }

    [Fact]
    public async Task An_unlock_clears_a_locked_subject_at_once()
    {
        using var factory = new ApiFactory();
        factory.Settings["Security:MaxConsecutiveFailures"] = "1";
        var client = factory.CreateClient();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form("acct-2", Obama))).EnsureSuccessStatusCode();
        (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-2", Biden))).EnsureSuccessStatusCode();
        await (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-2", Obama3))).AssertProblem(429, "subject_locked");

        Assert.Equal(HttpStatusCode.NoContent, (await client.PostAsync("/v1/subjects/acct-2/unlock", null)).StatusCode);

        var owner = await (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-2", Obama3))).Json();
        Assert.True(owner.GetProperty("verified").GetBoolean());
        await (await client.PostAsync("/v1/subjects/nobody/unlock", null)).AssertProblem(404, "subject_not_found");
    }

    [Fact]
    public async Task Another_face_cannot_be_added_to_an_enrolled_subject_or_replace_its_templates()
    {
        using var factory = new ApiFactory();
        var onboarding = factory.ClientWithKey(await factory.CreateKeyAsync("onboarding-1", [ApiKeyScopes.Enroll, ApiKeyScopes.Verify]));
        (await onboarding.PostAsync("/v1/enroll", HttpHelpers.Form("acct-3", Obama))).EnsureSuccessStatusCode();

        await (await onboarding.PostAsync("/v1/enroll", HttpHelpers.Form("acct-3", Biden))).AssertProblem(409, "face_mismatch");
        await (await onboarding.PostAsync("/v1/enroll?replace=true", HttpHelpers.Form("acct-3", Biden))).AssertProblem(409, "face_mismatch");

        // Nothing changed: the owner still verifies, the impostor does not, and the same face may still be added.
        var subject = await (await onboarding.GetAsync("/v1/subjects/acct-3")).Json();
        Assert.Equal(1, subject.GetProperty("templateCount").GetInt32());
        Assert.False((await (await onboarding.PostAsync("/v1/verify", HttpHelpers.Form("acct-3", Biden))).Json()).GetProperty("verified").GetBoolean());
        (await onboarding.PostAsync("/v1/enroll", HttpHelpers.Form("acct-3", Obama2))).EnsureSuccessStatusCode();
    }

    [Fact]
    public async Task The_subjects_reenroll_scope_may_enroll_a_different_face_and_is_audited_as_reenroll()
    {
        using var factory = new ApiFactory();
        var supervisor = factory.ClientWithKey(await factory.CreateKeyAsync("supervisor-1", [ApiKeyScopes.Enroll, ApiKeyScopes.SubjectsReenroll]));
        (await supervisor.PostAsync("/v1/enroll", HttpHelpers.Form("acct-6", Obama))).EnsureSuccessStatusCode();

        (await supervisor.PostAsync("/v1/enroll?replace=true", HttpHelpers.Form("acct-6", Biden))).EnsureSuccessStatusCode();

        var records = (await factory.Services.GetRequiredService<IAuditTrail>().ReadAsync(new AuditFilter("acct-6"), new AuditPageRequest())).Records;
        Assert.Equal([(AuditActions.Enroll, "ok"), (AuditActions.Reenroll, "ok")], records.Select(r => (r.Action, r.Outcome)));
        Assert.All(records, r => Assert.Equal("supervisor-1", r.Actor));
    }

    [Fact]
    public async Task The_database_file_holds_no_embedding_in_clear()
    {
        using var factory = new ApiFactory();
        factory.Settings["Templates:KeepCrops"] = "true";
        var client = factory.CreateClient();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form("acct-4", Obama, Obama2))).EnsureSuccessStatusCode();
        var verified = await (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-4", Obama3))).Json();
        Assert.True(verified.GetProperty("verified").GetBoolean());

        // The raw bytes, as a thief with the disk would read them: the file and its write-ahead log.
        var found = new[] { factory.DatabasePath, factory.DatabasePath + "-wal" }.Where(File.Exists)
            .Sum(path => UnitVectors(ReadShared(path)));
        Assert.Equal(0, found);

        // The scan itself finds a vector that is there in clear.
        var clear = MemoryMarshal.AsBytes(Enumerable.Range(0, 128).Select(i => MathF.Sin(i) / 8f).ToArray().AsSpan()).ToArray();
        var norm = MathF.Sqrt(MemoryMarshal.Cast<byte, float>(clear.AsSpan()).ToArray().Sum(v => v * v));
        var unit = MemoryMarshal.AsBytes(MemoryMarshal.Cast<byte, float>(clear.AsSpan()).ToArray().Select(v => v / norm).ToArray().AsSpan()).ToArray();
        Assert.Equal(1, UnitVectors([.. new byte[7], .. unit, .. new byte[5]]));
    }

    [Fact]
    public async Task Erasure_removes_templates_crops_and_lock_state_together()
    {
        using var factory = new ApiFactory();
        factory.Settings["Security:MaxConsecutiveFailures"] = "1";
        factory.Settings["Templates:KeepCrops"] = "true";
        var client = factory.CreateClient();
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form("acct-5", Obama))).EnsureSuccessStatusCode();
        (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-5", Biden))).EnsureSuccessStatusCode();

        Assert.Equal(HttpStatusCode.NoContent, (await client.DeleteAsync("/v1/subjects/acct-5")).StatusCode);

        using var connection = new SqliteConnection($"Data Source={factory.DatabasePath}");
        connection.Open();
        foreach (var table in new[] { "subjects", "templates", "subject_attempts" })
        {
            using var command = connection.CreateCommand();
            command.CommandText = $"SELECT COUNT(*) FROM {table} WHERE subject_id = 'acct-5'";
            Assert.Equal(0L, (long)command.ExecuteScalar()!);
        }

        // Enrolled again from scratch, the subject is not locked.
        (await client.PostAsync("/v1/enroll", HttpHelpers.Form("acct-5", Obama))).EnsureSuccessStatusCode();
        Assert.True((await (await client.PostAsync("/v1/verify", HttpHelpers.Form("acct-5", Obama3))).Json()).GetProperty("verified").GetBoolean());
    }

    private static byte[] ReadShared(string path)
    {
        using var stream = new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete);
        using var buffer = new MemoryStream();
        stream.CopyTo(buffer);
        return buffer.ToArray();
    }

    /// <summary>Places where 128 consecutive float32 (at any byte offset) are finite, each under 1 in size, with unit norm.</summary>
    private static int UnitVectors(byte[] bytes)
    {
        const int dimensions = 128;
        var found = 0;
        for (var offset = 0; offset + (dimensions * 4) <= bytes.Length; offset++)
        {
            var floats = MemoryMarshal.Cast<byte, float>(bytes.AsSpan(offset, dimensions * 4));
            var sum = 0d;
            var plausible = true;
            foreach (var v in floats)
            {
                if (!float.IsFinite(v) || MathF.Abs(v) >= 1f)
                {
                    plausible = false;
                    break;
                }

                sum += v * (double)v;
            }

            if (plausible && Math.Abs(sum - 1) < 1e-3)
            {
                found++;
                offset += (dimensions * 4) - 1;
            }
        }

        return found;
    }
}
