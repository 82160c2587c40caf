using IdVerify.Core.Access;
using IdVerify.Core.Audit;
using IdVerify.Core.Liveness;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

/// <summary>
/// What every store provider must do, run once per provider (<see cref="SqliteStoreContractTests"/>,
/// <see cref="PostgresStoreContractTests"/>): each test gets a fresh database, and "several stores" are several opens
/// of it, as several service instances would have.
/// </summary>
public abstract class StoreContractTests<TBackend> : IDisposable
    where TBackend : IStoreBackend, new()
{
    private static readonly DateTimeOffset Issued = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly DataKeyRing keys = DataKeyRing.CreateNew();

    protected TBackend Backend { get; } = new();

    private ITemplateStore Templates() => Backend.Templates(keys);

    private static FaceTemplate Template(string subjectId, float seed) => new(
        Guid.NewGuid().ToString("N"), subjectId, Enumerable.Range(0, 128).Select(i => MathF.Sin(seed + i)).ToArray(),
        "mobilefacenet-paddlex-128d", "6ced4e0c", DateTimeOffset.UtcNow, new TemplateQuality(0.9f, 120, 150, 60, 0.98f));

    private static LivenessChallenge Challenge(string? subjectId = "gina") => new(
        Guid.NewGuid().ToString("N"), "nonce-" + Guid.NewGuid().ToString("N")[..8], subjectId,
        [ChallengeActions.TurnLeft, ChallengeActions.TurnRight], Issued, Issued.AddSeconds(60));

    [Fact]
    public async Task Templates_survive_a_reopen_bit_for_bit()
    {
        var template = Template("alice", 1);
        await Templates().AddTemplatesAsync("alice", [template], replace: false, maxTemplates: 10);

        var subject = await Templates().GetSubjectAsync("alice");

        var stored = Assert.Single(subject!.Templates);
        Assert.Equal(template.Embedding, stored.Embedding);
        Assert.Equal(template.EmbedderId, stored.EmbedderId);
        Assert.Equal(template.Quality, stored.Quality);
    }

    [Fact]
    public async Task A_second_enrollment_adds_and_replace_starts_over()
    {
        var store = Templates();
        await store.AddTemplatesAsync("bob", [Template("bob", 1), Template("bob", 2)], replace: false, maxTemplates: 10);
        var added = await store.AddTemplatesAsync("bob", [Template("bob", 3)], replace: false, maxTemplates: 10);
        var replaced = await store.AddTemplatesAsync("bob", [Template("bob", 4)], replace: true, maxTemplates: 10);

        Assert.Equal(3, added.Templates.Count);
        Assert.Single(replaced.Templates);
    }

    [Fact]
    public async Task Going_past_the_template_limit_is_refused_and_changes_nothing()
    {
        var store = Templates();
        await store.AddTemplatesAsync("carol", [Template("carol", 1), Template("carol", 2)], replace: false, maxTemplates: 3);

        var error = await Assert.ThrowsAsync<IdVerifyException>(() =>
            store.AddTemplatesAsync("carol", [Template("carol", 3), Template("carol", 4)], replace: false, maxTemplates: 3));

        Assert.Equal(ErrorCodes.TooManyTemplates, error.Code);
        Assert.Equal(2, (await store.GetSubjectAsync("carol"))!.Templates.Count);
    }

    [Fact]
    public async Task Concurrent_enrollments_of_one_subject_never_lose_or_duplicate_a_template()
    {
        const int writers = 24;
        const int limit = 10;
        var stores = Enumerable.Range(0, 4).Select(_ => Templates()).ToArray();
        var templates = Enumerable.Range(0, writers).Select(i => Template("dave", i)).ToArray();

        var outcomes = await Task.WhenAll(templates.Select((t, i) => Task.Run(async () =>
        {
            try
            {
                await stores[i % stores.Length].AddTemplatesAsync("dave", [t], replace: false, maxTemplates: limit);
                return true;
            }
            catch (IdVerifyException ex) when (ex.Code == ErrorCodes.TooManyTemplates)
            {
                return false;
            }
        })));

        var subject = await stores[0].GetSubjectAsync("dave");
        var storedIds = subject!.Templates.Select(t => t.TemplateId).ToList();
        var acceptedIds = templates.Where((_, i) => outcomes[i]).Select(t => t.TemplateId).ToList();
        Assert.Equal(limit, outcomes.Count(o => o));
        Assert.Equal(limit, storedIds.Distinct().Count());
        Assert.Equal(acceptedIds.Order(), storedIds.Order());
    }

    [Fact]
    public async Task Deleting_a_subject_erases_its_templates()
    {
        var store = Templates();
        await store.AddTemplatesAsync("erin", [Template("erin", 1)], replace: false, maxTemplates: 10);

        Assert.True(await store.DeleteSubjectAsync("erin"));
        Assert.Null(await store.GetSubjectAsync("erin"));
        Assert.False(await store.DeleteSubjectAsync("erin"));

        // Re-enrolling after erasure starts from nothing: no template came back with the subject.
        var again = await store.AddTemplatesAsync("erin", [Template("erin", 2)], replace: false, maxTemplates: 10);
        Assert.Single(again.Templates);
    }

    [Fact]
    public async Task A_challenge_is_returned_once_then_refused_as_used()
    {
        var store = Backend.Challenges();
        var challenge = Challenge();
        await store.SaveChallengeAsync(challenge);

        var consumed = await Backend.Challenges().ConsumeChallengeAsync(challenge.ChallengeId, Issued.AddSeconds(5));
        var again = await Assert.ThrowsAsync<IdVerifyException>(() => store.ConsumeChallengeAsync(challenge.ChallengeId, Issued.AddSeconds(6)));

        Assert.Equal(challenge with { Actions = consumed.Actions }, consumed);
        Assert.Equal(challenge.Actions, consumed.Actions);
        Assert.Equal(ErrorCodes.ChallengeUsed, again.Code);
    }

    [Fact]
    public async Task A_challenge_without_a_subject_keeps_none()
    {
        var store = Backend.Challenges();
        var challenge = Challenge(subjectId: null);
        await store.SaveChallengeAsync(challenge);

        Assert.Null((await store.ConsumeChallengeAsync(challenge.ChallengeId, Issued)).SubjectId);
    }

    [Fact]
    public async Task An_unknown_challenge_is_not_found()
    {
        var error = await Assert.ThrowsAsync<IdVerifyException>(() =>
            Backend.Challenges().ConsumeChallengeAsync("nope", Issued));

        Assert.Equal(ErrorCodes.ChallengeNotFound, error.Code);
    }

    [Fact]
    public async Task An_expired_challenge_is_refused_and_spent()
    {
        var store = Backend.Challenges();
        var challenge = Challenge();
        await store.SaveChallengeAsync(challenge);

        var late = await Assert.ThrowsAsync<IdVerifyException>(() => store.ConsumeChallengeAsync(challenge.ChallengeId, challenge.ExpiresAt));
        var retry = await Assert.ThrowsAsync<IdVerifyException>(() => store.ConsumeChallengeAsync(challenge.ChallengeId, Issued));

        Assert.Equal(ErrorCodes.ChallengeExpired, late.Code);
        Assert.Equal(ErrorCodes.ChallengeUsed, retry.Code);
    }

    [Fact]
    public async Task Concurrent_consumes_of_one_challenge_let_exactly_one_through()
    {
        const int racers = 16;
        var stores = Enumerable.Range(0, 4).Select(_ => Backend.Challenges()).ToArray();
        var challenge = Challenge();
        await stores[0].SaveChallengeAsync(challenge);

        var outcomes = await Task.WhenAll(Enumerable.Range(0, racers).Select(i => Task.Run(async () =>
        {
            try
            {
                await stores[i % stores.Length].ConsumeChallengeAsync(challenge.ChallengeId, Issued.AddSeconds(1));
                return true;
            }
            catch (IdVerifyException ex) when (ex.Code == ErrorCodes.ChallengeUsed)
            {
                return false;
            }
        })));

        Assert.Equal(1, outcomes.Count(o => o));
    }

    [Fact]
    public async Task Decisions_are_kept_for_audit()
    {
        var log = Backend.Decisions();
        var decision = new DecisionRecord("d1", "frank", DateTimeOffset.UtcNow, true, true, 0.71f, 0.3111f, 1e-3, true, 0.98f,
            "yunet-2026may", "mobilefacenet-paddlex-128d", "minifasnet-v2-2.7+minifasnet-v1se-4.0");

        await log.RecordDecisionAsync(decision);
        var stored = await Backend.Decisions().GetDecisionAsync("d1");

        Assert.Equal(decision with { CreatedAt = stored!.CreatedAt }, stored);
        Assert.True((decision.CreatedAt - stored.CreatedAt).Duration() < TimeSpan.FromMilliseconds(1));
    }

    [Fact]
    public async Task An_unknown_decision_is_null()
    {
        Assert.Null(await Backend.Decisions().GetDecisionAsync("nope"));
    }

    [Fact]
    public async Task Failures_through_several_stores_are_counted_once_each_and_lock_at_the_limit()
    {
        var limits = new AttemptLimits(10, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));
        var stores = Enumerable.Range(0, 4).Select(_ => Backend.Attempts()).ToArray();

        var states = await Task.WhenAll(Enumerable.Range(0, 12).Select(i => Task.Run(() =>
            stores[i % stores.Length].RecordAsync("hugo", verified: false, Issued, limits))));

        // Every failure saw a different count: none was lost to a race, and exactly one crossed the limit first.
        Assert.Equal(Enumerable.Range(1, 12), states.Select(s => s.Failures).Order());
        Assert.Equal(3, states.Count(s => s.JustLocked));
        var state = await stores[0].GetAsync("hugo");
        Assert.Equal(12, state.Failures);
        Assert.Equal(Issued + limits.LockoutAfter(3), states.Single(s => s.Failures == 12).LockedUntil);
        Assert.NotNull(state.LockedUntil);
    }

    [Fact]
    public async Task A_success_or_an_unlock_clears_the_count()
    {
        var limits = new AttemptLimits(3, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1));
        var store = Backend.Attempts();
        await store.RecordAsync("ida", verified: false, Issued, limits);
        await store.RecordAsync("ida", verified: true, Issued, limits);
        Assert.Equal(new AttemptState(0, null), await Backend.Attempts().GetAsync("ida"));

        await store.RecordAsync("ida", verified: false, Issued, limits);
        Assert.True(await Backend.Attempts().UnlockAsync("ida"));
        Assert.False(await store.UnlockAsync("ida"));
    }

    [Fact]
    public async Task Erasure_also_drops_the_attempt_count()
    {
        await Templates().AddTemplatesAsync("jill", [Template("jill", 1)], replace: false, maxTemplates: 10);
        await Backend.Attempts().RecordAsync("jill", verified: false, Issued, new AttemptLimits(10, TimeSpan.FromSeconds(30), TimeSpan.FromHours(1)));

        Assert.True(await Templates().DeleteSubjectAsync("jill"));

        Assert.Equal(0, (await Backend.Attempts().GetAsync("jill")).Failures);
    }

    [Fact]
    public async Task A_guard_sees_the_subject_inside_the_write_and_a_refusal_writes_nothing()
    {
        var store = Templates();
        await store.AddTemplatesAsync("kim", [Template("kim", 1)], replace: false, maxTemplates: 10);

        Subject? seen = null;
        await Assert.ThrowsAsync<IdVerifyException>(() => Templates().AddTemplatesAsync("kim", [Template("kim", 2)], replace: true, maxTemplates: 10,
            guard: s => { seen = s; throw new IdVerifyException(ErrorCodes.FaceMismatch, "refused"); }));

        Assert.Single(seen!.Templates);
        Assert.Single((await store.GetSubjectAsync("kim"))!.Templates);
    }

    [Fact]
    public async Task Rotation_reseals_every_row_under_the_new_key()
    {
        await Templates().AddTemplatesAsync("lou", [Template("lou", 1), Template("lou", 2)], replace: false, maxTemplates: 10);
        var both = keys.WithNewKey("dk-next");

        var rotation = await Backend.Templates(both).RotateAsync("dk-next");

        Assert.Equal(2, rotation.Rows);
        var reopened = await Backend.Templates(both.Retain("dk-next")).GetSubjectAsync("lou");
        Assert.All(reopened!.Templates, t => Assert.Equal("dk-next", t.KeyId));
        await Assert.ThrowsAsync<IdVerifyException>(() => Templates().GetSubjectAsync("lou"));
    }

    [Fact]
    public async Task A_key_name_is_never_reused()
    {
        var key = new ApiKey("kiosk-9", [ApiKeyScopes.Verify], Issued, null);
        await Backend.ApiKeys().AddAsync(key, [1, 2, 3]);
        Assert.True(await Backend.ApiKeys().RevokeAsync("kiosk-9", Issued));

        var again = await Assert.ThrowsAsync<IdVerifyException>(() => Backend.ApiKeys().AddAsync(key, [4, 5, 6]));

        Assert.Equal(ErrorCodes.KeyExists, again.Code);
        var stored = Assert.Single(await Backend.ApiKeys().ListAsync());
        Assert.Equal(Issued, stored.RevokedAt);
        Assert.Equal("kiosk-9", (await Backend.ApiKeys().FindByHashAsync([1, 2, 3]))!.Name);
        Assert.True(await Backend.ApiKeys().AnyAsync());
    }

    [Fact]
    public async Task Appends_from_several_logs_form_one_intact_chain()
    {
        var logs = Enumerable.Range(0, 3).Select(_ => Backend.AuditLog()).ToArray();

        await Task.WhenAll(Enumerable.Range(0, 60).Select(i => Task.Run(() => logs[i % logs.Length].AppendAsync(
            new AuditEvent(AuditActions.Verify, "ok", $"s-{i}", "kiosk", $"r-{i}", new Dictionary<string, string?> { ["n"] = $"{i}" })))));

        var trail = (IAuditTrail)logs[0];
        var report = await trail.VerifyChainAsync();
        Assert.True(report.Intact, report.Break?.Reason);
        Assert.Equal(60, report.Records);
        var page = await ((IAuditTrail)logs[1]).ReadAsync(new AuditFilter(SubjectId: "s-7"), new AuditPageRequest());
        Assert.Equal("r-7", Assert.Single(page.Records).RequestId);
    }

    public void Dispose()
    {
        Backend.Dispose();
        GC.SuppressFinalize(this);
    }
}
