using IdVerify.Core.Detection;
using IdVerify.Core.Liveness;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Tests;
using SixLabors.ImageSharp;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

[Collection(PipelineCollection.Name)]
public sealed class FacePipelineTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private MatchPolicy Policy => MatchPolicy.For(fixture.Manifest.Get(fixture.Manifest.Defaults.Embedder, ModelRoles.Embedder), 1e-3);

    [Fact]
    public void Same_people_match_and_different_people_do_not_over_all_dev_pairs()
    {
        var pairs = TestData.Pairs();
        var embeddings = new Dictionary<string, float[]?>();
        float[]? Embed(string path)
        {
            if (!embeddings.TryGetValue(path, out var e))
            {
                try
                {
                    e = fixture.Pipeline.Analyze(TestData.Read(path)).Embedding;
                }
                catch (IdVerifyException ex)
                {
                    output.WriteLine($"not acquired: {path} ({ex.Code})");
                    e = null;
                }

                embeddings[path] = e;
            }

            return e;
        }

        int genuine = 0, impostor = 0, falseNonMatches = 0, falseMatches = 0, notAcquired = 0;
        foreach (var pair in pairs)
        {
            var a = Embed(pair.PathA);
            var b = Embed(pair.PathB);
            if (a is null || b is null)
            {
                notAcquired++;
                continue;
            }

            var match = Policy.IsMatch(Similarity.Cosine(a, b));
            if (pair.SameIdentity)
            {
                genuine++;
                falseNonMatches += match ? 0 : 1;
            }
            else
            {
                impostor++;
                falseMatches += match ? 1 : 0;
            }
        }

        var fnmr = falseNonMatches / (double)genuine;
        var fmr = falseMatches / (double)impostor;
        output.WriteLine($"threshold {Policy.Threshold} (FMR target {Policy.FmrTarget}): genuine {genuine}, impostor {impostor}, " +
                         $"pairs not acquired {notAcquired}; FNMR {fnmr:P2} ({falseNonMatches}), FMR {fmr:P3} ({falseMatches})");

        Assert.True(genuine >= 120 && impostor >= 1000, "the dev pairs were not evaluated");
        Assert.True(notAcquired <= 20, $"{notAcquired} pairs lost to failure-to-acquire");
        Assert.True(fmr <= 2e-3, $"FMR {fmr:P3} at the 1e-3 threshold");
        Assert.True(fnmr <= 0.08, $"FNMR {fnmr:P2} at the 1e-3 threshold");
    }

    [Theory]
    [InlineData("silent_face_anti_spoofing/image_F1.jpg")]
    [InlineData("silent_face_anti_spoofing/image_F2.jpg")]
    [InlineData("insightface/test_res/data/bulk/rgb_fake.jpg")]
    public void Printed_photo_and_screen_replay_attacks_fail_liveness(string attack)
    {
        var analysis = fixture.Pipeline.Analyze(TestData.Read(attack));
        output.WriteLine($"{attack}: p(live) {analysis.Liveness.Score:F3}");
        Assert.False(analysis.Liveness.Passed);
    }

    [Theory]
    [InlineData("silent_face_anti_spoofing/image_T1.jpg")]
    [InlineData("face_recognition/examples/knn_examples/train/biden/biden.jpg")]
    [InlineData("debian/grace_hopper_512x512.jpg")]
    public void Live_captures_with_context_pass_liveness(string live)
    {
        var analysis = fixture.Pipeline.Analyze(TestData.Read(live));
        output.WriteLine($"{live}: p(live) {analysis.Liveness.Score:F3}");
        Assert.True(analysis.Liveness.Passed);
    }

    [Theory]
    [InlineData("azure_face_samples/Family1-Dad1.jpg")]
    [InlineData("face-api.js/examples/images/sheldon/sheldon1.png")]
    public void A_face_filling_the_frame_reports_insufficient_context_instead_of_a_verdict(string tightCrop)
    {
        var analysis = fixture.Pipeline.Analyze(TestData.Read(tightCrop));
        Assert.False(analysis.Liveness.Passed);
        Assert.Equal(LivenessReasons.InsufficientContext, analysis.Liveness.Reason);
    }

    [Fact]
    public void Exif_rotated_capture_is_found_upright()
    {
        var analysis = fixture.Pipeline.Analyze(TestData.Read("silent_face_anti_spoofing/image_T1.jpg"));
        var eyes = analysis.Face.Landmarks;

        Assert.Equal((480, 640), (analysis.ImageWidth, analysis.ImageHeight));
        // Upright: the eyes sit side by side above the mouth.
        Assert.True(Math.Abs(eyes[1].Y - eyes[0].Y) < Math.Abs(eyes[1].X - eyes[0].X) / 3);
        Assert.True(eyes[3].Y > eyes[0].Y && eyes[4].Y > eyes[1].Y);
    }

    [Fact]
    public void Group_photo_of_equal_faces_is_ambiguous()
    {
        var error = Assert.Throws<IdVerifyException>(() => fixture.Pipeline.Analyze(TestData.Read("face-api.js/test/images/faces.jpg")));
        Assert.Equal(ErrorCodes.MultipleFaces, error.Code);
    }

    [Fact]
    public void Photo_with_a_clearly_smaller_second_face_gives_the_dominant_face()
    {
        // A real portrait with a second real face, a tenth of its size, in the corner (a bystander far behind).
        using var image = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(TestData.Read("debian/grace_hopper_512x512.jpg"));
        using var bystander = Image.Load<SixLabors.ImageSharp.PixelFormats.Rgb24>(TestData.Read("debian/astronaut.png"));
        bystander.Mutate(x => x.Resize(192, 192));
        image.Mutate(x => x.DrawImage(bystander, new Point(320, 320), 1f));
        using var encoded = new MemoryStream();
        image.SaveAsPng(encoded);
        var photo = encoded.ToArray();

        var faces = fixture.Pipeline.DetectAll(photo).OrderByDescending(f => f.Box.Area).ToList();
        var analysis = fixture.Pipeline.Analyze(photo);

        Assert.True(faces.Count >= 2, $"{faces.Count} faces found");
        Assert.True(faces[1].Box.Area < 0.3f * faces[0].Box.Area);
        Assert.Equal(faces[0].Box, analysis.Face.Box);
    }

    [Fact]
    public void Photo_without_a_face_gives_no_face()
    {
        var error = Assert.Throws<IdVerifyException>(() => fixture.Pipeline.Analyze(TestData.Read("insightface/test_res/data/crop/no_face.png")));
        Assert.Equal(ErrorCodes.NoFace, error.Code);
    }

    [Fact]
    public void Tiny_face_gives_face_too_small()
    {
        var photo = BadImages.Shrunk(TestData.Read("debian/grace_hopper_512x512.jpg"), 80);
        var error = Assert.Throws<IdVerifyException>(() => fixture.Pipeline.Analyze(photo));
        Assert.Equal(ErrorCodes.FaceTooSmall, error.Code);
    }

    [Fact]
    public void Embeddings_are_unit_length()
    {
        var embedding = fixture.Pipeline.Analyze(TestData.Read("debian/grace_hopper_512x512.jpg")).Embedding;
        Assert.Equal(128, embedding.Length);
        Assert.Equal(1f, Similarity.Cosine(embedding, embedding), 0.0001f);
    }

    [Fact]
    public void Unsupported_fmr_target_is_refused()
    {
        var embedder = fixture.Manifest.Get(fixture.Manifest.Defaults.Embedder, ModelRoles.Embedder);
        var error = Assert.Throws<IdVerifyException>(() => MatchPolicy.For(embedder, 1e-6));
        Assert.Contains("no calibrated threshold", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Selection_options_shape_the_decision()
    {
        var bytes = TestData.Read("face-api.js/test/images/faces.jpg");
        var faces = fixture.Pipeline.DetectAll(bytes);
        var size = Image.Identify(bytes);
        var chosen = FaceSelector.Select(faces, new SelectionOptions { AmbiguityRatio = 1.01f }, size.Width, size.Height);
        Assert.Equal(faces.Max(f => f.Box.Area), chosen.Box.Area);
    }
}
