using IdVerify.Core.Evaluation;
using IdVerify.Core.Liveness;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Core.Verification;
using IdVerify.Tests;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

/// <summary>The default bundle plus PFLD-68 (the yaw calibration's reference), loaded once for the challenge tests.</summary>
public sealed class ChallengePipelineFixture : IAsyncLifetime
{
    public FacePipeline Pipeline { get; private set; } = null!;

    public float SamePersonThreshold { get; private set; }

    public async Task InitializeAsync()
    {
        var manifest = ModelManifest.Load(TestData.Models.ManifestPath);
        var bundle = ModelBundle.DefaultOf(manifest) with { EyeLandmarksId = "pfld-68" };
        Pipeline = await FacePipelineLoader.LoadAsync(manifest, new ModelStore(TestData.Models), bundle, new PipelineOptions());
        SamePersonThreshold = ChallengeVerifier.SamePersonThreshold(Pipeline.Embedder.Model, 0.3f);
    }

    public Task DisposeAsync()
    {
        Pipeline.Dispose();
        return Task.CompletedTask;
    }
}

/// <summary>The head-turn challenge on real footage (shared/faces/sequences) and on still photos moved in front of a camera.</summary>
public sealed class ChallengeTests(ChallengePipelineFixture fixture, ITestOutputHelper output) : IClassFixture<ChallengePipelineFixture>
{
    private static readonly ChallengeVerifier Verifier = new(new ChallengeOptions());

    private ChallengeOutcome Judge(ChallengeBurst burst, IReadOnlyList<string> actions)
    {
        var challenge = Verifier.Create(null, DateTimeOffset.UtcNow) with { Actions = actions };
        var outcome = Verifier.Check(fixture.Pipeline, fixture.Pipeline.Embedder, challenge, burst.Frames, fixture.SamePersonThreshold);
        output.WriteLine($"{burst.Name} {string.Join(">", actions)}: passed {outcome.Checks.Passed}, failures [{string.Join(",", outcome.Failures)}], " +
            $"yaws [{string.Join(" ", outcome.Frames.Select(f => f.Yaw?.ToString("F0") ?? "-"))}], liveness {outcome.LivenessScore:F2}");
        return outcome;
    }

    [Fact]
    public void Challenge_passes_real_head_turn_sequence()
    {
        var bursts = ChallengeBursts.RealTurns(TestData.FacesRoot);

        Assert.Equal(4, bursts.Count);
        foreach (var burst in bursts)
        {
            var outcome = Judge(burst, burst.Challenges.Single());
            Assert.True(outcome.Checks.Passed, string.Join(",", outcome.Failures));
            Assert.Empty(outcome.Failures);
            Assert.Equal(20, outcome.FramesWithFace);
            // The passive check decided on the three sharpest frontal frames, each reported.
            Assert.Equal(3, outcome.Frames.Count(f => f.LivenessJudged));
            Assert.All(outcome.Frames.Where(f => f.LivenessJudged), f => Assert.True(f.Frontal));
        }
    }

    [Fact]
    public void Real_head_turns_in_the_other_order_than_asked_fail_the_actions_check()
    {
        var burst = ChallengeBursts.RealTurns(TestData.FacesRoot)[0];

        var outcome = Judge(burst, [ChallengeActions.TurnRight, ChallengeActions.TurnLeft]);

        Assert.False(outcome.Checks.ActionsInOrder);
        Assert.Equal([ChallengeFailures.ActionsNotSeen], outcome.Failures);
    }

    [Theory]
    [InlineData("face_recognition/examples/knn_examples/train/obama/obama.jpg")]
    [InlineData("debian/grace_hopper_512x512.jpg")]
    [InlineData("silent_face_anti_spoofing/image_F1.jpg")]
    // Tilted 45° this print read ±16° of yaw: turned frames that narrow more than the turn explains are no turn.
    [InlineData("azure_face_samples/Family1-Mom1.jpg")]
    // Lying on its side and rotated ±25°, this photo read fake turns of 27°: faces rolled past 35° give no yaw.
    [InlineData("insightface/test_res/data/rotate/rot_90.jpg")]
    // Looking up and rolled ±25°, this photo read turns of 22° (its pitch taken for yaw) and passed: yaw is read level now.
    [InlineData("insightface/test_res/data/pose/rise_face.jpeg")]
    public void Challenge_rejects_warped_still_photo(string photo)
    {
        var bytes = TestData.Read(photo);
        foreach (var burst in new[] { ChallengeBursts.Tilted(photo, bytes), ChallengeBursts.MovedAndRotated(photo, bytes) })
        {
            foreach (var actions in burst.Challenges)
            {
                var outcome = Judge(burst, actions);
                Assert.False(outcome.Checks.Passed);
                // Whatever else failed, the photo never turned: no turn is read from a flat picture tilted up to 45°.
                Assert.False(outcome.Checks.ActionsInOrder);
            }
        }
    }

    [Fact]
    public void Challenge_rejects_phone_replay_and_print()
    {
        foreach (var burst in ChallengeBursts.Replays(TestData.FacesRoot).Where(b => b.Name.EndsWith("phone", StringComparison.Ordinal) || b.Name.EndsWith("print", StringComparison.Ordinal)))
        {
            foreach (var actions in burst.Challenges)
            {
                var outcome = Judge(burst, actions);
                Assert.False(outcome.Checks.Passed);
                Assert.Contains(ChallengeFailures.PassiveLivenessFailed, outcome.Failures);
            }
        }
    }

    [Fact]
    public void A_burst_that_cuts_from_the_live_face_to_a_phone_fails_tracking_with_face_jumped()
    {
        var burst = ChallengeBursts.Replays(TestData.FacesRoot).Single(b => b.Name.EndsWith("live-phone-print", StringComparison.Ordinal));

        var outcome = Judge(burst, burst.Challenges[0]);

        Assert.False(outcome.Checks.Tracked);
        Assert.Contains(ChallengeFailures.FaceJumped, outcome.Failures);
    }

    [Fact]
    public void A_live_person_who_does_not_turn_fails_the_actions_check()
    {
        foreach (var burst in ChallengeBursts.LiveWithoutTurns(TestData.FacesRoot).Take(3))
        {
            var outcome = Judge(burst, burst.Challenges[0]);
            Assert.Equal([ChallengeFailures.ActionsNotSeen], outcome.Failures);
        }
    }

    [Fact]
    public void Calibrated_yaw_of_the_refined_points_reads_the_real_turns_as_the_68_point_pose_does()
    {
        var fit = ChallengeReport.FitYaw(fixture.Pipeline, "franck_turn_A", ChallengeBursts.SequenceFrames(TestData.FacesRoot, "franck_turn_A"));
        output.WriteLine(fit.ToString());

        // The default pipeline aligns on PFLD-68's five points: their calibration, not the detector's, applies.
        var shipped = fixture.Pipeline.YawCalibration!;
        Assert.Same(fixture.Pipeline.Eyes!.Model.YawCalibration, shipped);
        Assert.Equal(40, fit.Frames);
        Assert.InRange(fit.Gain, shipped.Gain * 0.95f, shipped.Gain * 1.05f);
        Assert.True(fit.ResidualDegrees < 5, $"{fit.ResidualDegrees}");
    }

    [Fact]
    public async Task RetinaFace_calibrated_yaw_reads_the_real_turns_as_the_68_point_pose_does()
    {
        // Its own five points (no refinement): the manifest's gain maps them onto the 68-point pose.
        var manifest = ModelManifest.Load(TestData.Models.ManifestPath);
        var bundle = ModelBundle.DefaultOf(manifest) with { DetectorId = "retinaface-mnet025" };
        using var retina = await FacePipelineLoader.LoadAsync(manifest, new ModelStore(TestData.Models), bundle,
            new PipelineOptions { RefineLandmarks = false });
        var fit = ChallengeReport.FitYaw(retina, "franck_turn_A", ChallengeBursts.SequenceFrames(TestData.FacesRoot, "franck_turn_A"));
        output.WriteLine(fit.ToString());

        var shipped = retina.YawCalibration!;
        Assert.Equal(40, fit.Frames);
        Assert.InRange(fit.Gain, shipped.Gain * 0.95f, shipped.Gain * 1.05f);
        Assert.True(fit.ResidualDegrees < 5, $"{fit.ResidualDegrees}");
    }
}
