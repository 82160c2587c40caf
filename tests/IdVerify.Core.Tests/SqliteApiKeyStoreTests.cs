using IdVerify.Core.Access;
using IdVerify.Core.Templates;
using Microsoft.Data.Sqlite;

namespace IdVerify.Core.Tests;

public sealed class SqliteApiKeyStoreTests : IDisposable
{
    private static readonly DateTimeOffset Now = new(2026, 5, 1, 9, 30, 0, TimeSpan.Zero);

    private readonly TempDatabase database = new();

    private ApiKeyService Service(out IApiKeyStore store)
    {
        store = new SqliteApiKeyStore(database.Open());
        return new ApiKeyService(store, new FixedTime());
    }

    [Fact]
    public async Task A_key_is_found_by_its_text_and_only_its_hash_is_stored()
    {
        var keys = Service(out _);

        var issued = await keys.CreateAsync("kiosk-1", [ApiKeyScopes.Enroll, ApiKeyScopes.Verify], Now.AddDays(90));
        var found = await keys.FindAsync(issued.Secret);

        Assert.Equal(new ApiKey("kiosk-1", [ApiKeyScopes.Verify, ApiKeyScopes.Enroll], Now, Now.AddDays(90)) with { Scopes = found!.Scopes }, found);
        Assert.Equal([ApiKeyScopes.Verify, ApiKeyScopes.Enroll], found.Scopes);
        Assert.Null(await keys.FindAsync(issued.Secret[..^1] + (issued.Secret[^1] == 'A' ? 'B' : 'A')));
        Assert.Null(await keys.FindAsync("not a key"));
        await using var connection = new SqliteConnection($"Data Source={database.Path}");
        await connection.OpenAsync();
        await using var command = connection.CreateCommand();
        command.CommandText = "SELECT * FROM api_keys";
        await using var reader = await command.ExecuteReaderAsync();
        Assert.True(await reader.ReadAsync());
        for (var i = 0; i < reader.FieldCount; i++)
        {
            Assert.DoesNotContain(issued.Secret[4..], reader.IsDBNull(i) ? "" : Convert.ToString(reader.GetValue(i), System.Globalization.CultureInfo.InvariantCulture));
        }

        Assert.Equal(ApiKeySecret.Hash(issued.Secret), (byte[])reader["secret_sha256"]);
    }

    [Fact]
    public async Task Revoking_keeps_the_first_time_and_the_name_is_never_reused()
    {
        var keys = Service(out var store);
        await keys.CreateAsync("desk-1", [ApiKeyScopes.Enroll], null);

        Assert.True(await store.RevokeAsync("desk-1", Now.AddHours(1)));
        Assert.True(await store.RevokeAsync("desk-1", Now.AddHours(2)));
        var again = await Assert.ThrowsAsync<IdVerifyException>(() => keys.CreateAsync("desk-1", [ApiKeyScopes.Enroll], null));
        var missing = await Assert.ThrowsAsync<IdVerifyException>(() => keys.RevokeAsync("desk-2"));

        Assert.Equal(Now.AddHours(1), (await store.ListAsync()).Single().RevokedAt);
        Assert.Equal(ErrorCodes.KeyExists, again.Code);
        Assert.Equal(ErrorCodes.KeyNotFound, missing.Code);
    }

    [Fact]
    public async Task The_initial_key_is_made_only_on_a_database_that_never_held_one()
    {
        var keys = Service(out var store);

        var first = await keys.CreateInitialAsync();
        await keys.RevokeAsync(ApiKeyService.InitialKeyName);
        var second = await keys.CreateInitialAsync();

        Assert.Equal(ApiKeyScopes.All, first!.Key.Scopes);
        Assert.Null(second);
        await store.TouchAsync(ApiKeyService.InitialKeyName, Now.AddMinutes(3));
        Assert.Equal(Now.AddMinutes(3), (await store.ListAsync()).Single().LastUsedAt);
    }

    [Theory]
    [InlineData("90d", 90 * 24 * 60)]
    [InlineData("12h", 12 * 60)]
    [InlineData("30m", 30)]
    [InlineData("2026-05-02", 14 * 60 + 30)]
    [InlineData("2026-05-01T10:00:00+00:00", 30)]
    public void An_expiry_is_a_lifetime_or_a_date(string value, int minutesFromNow) =>
        Assert.Equal(Now.AddMinutes(minutesFromNow), ApiKeyService.ParseExpiry(value, Now));

    [Theory]
    [InlineData("soon")]
    [InlineData("0d")]
    [InlineData("-5d")]
    [InlineData("90 days")]
    public void A_bad_expiry_is_refused(string value) =>
        Assert.Equal(ErrorCodes.InvalidRequest, Assert.Throws<IdVerifyException>(() => ApiKeyService.ParseExpiry(value, Now)).Code);

    public void Dispose() => database.Dispose();

    private sealed class FixedTime : TimeProvider
    {
        public override DateTimeOffset GetUtcNow() => Now;
    }
}
