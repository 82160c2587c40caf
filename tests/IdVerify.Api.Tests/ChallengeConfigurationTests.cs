using IdVerify.Core.Hosting;
using IdVerify.Core.Liveness;
using Microsoft.Extensions.Configuration;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Options;

namespace IdVerify.Api.Tests;

/// <summary>Challenge:Actions as the service reads it from configuration (the binder alone appends to a list's default).</summary>
public sealed class ChallengeConfigurationTests
{
    private static IReadOnlyList<string> Actions(Dictionary<string, string?> settings)
    {
        var configuration = new ConfigurationBuilder().AddInMemoryCollection(settings).Build();
        using var provider = new ServiceCollection().AddIdVerifyCore(configuration).BuildServiceProvider();
        return provider.GetRequiredService<IOptions<ChallengeOptions>>().Value.Actions;
    }

    [Fact]
    public void Configured_challenge_actions_replace_the_default_actions()
    {
        Assert.Equal(["blink"], Actions(new() { ["Challenge:Actions:0"] = "blink" }));
        Assert.Equal(["turn_left", "blink"], Actions(new() { ["Challenge:Actions:0"] = "turn_left", ["Challenge:Actions:1"] = "blink" }));
    }

    [Fact]
    public void Without_configured_actions_a_challenge_offers_the_two_turns() =>
        Assert.Equal(ChallengeActions.Default, Actions([]));
}
