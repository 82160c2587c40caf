using IdVerify.Core.Detection;
using IdVerify.Core.Embedding;
using IdVerify.Core.Matching;
using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Tests;
using Microsoft.ML.OnnxRuntime;
using SixLabors.ImageSharp.Processing;
using Xunit.Abstractions;

namespace IdVerify.Core.Tests;

/// <summary>The rewritten models the default bundle runs answer as the originals do, so templates made before stay valid.</summary>
[Collection(PipelineCollection.Name)]
public sealed class DerivedModelTests(PipelineFixture fixture, ITestOutputHelper output)
{
    private IEnumerable<(string Photo, FaceAnalysis Analysis)> BonaFideFaces()
    {
        foreach (var label in TestData.Labels().Where(l => l.Kind == "bonafide").Take(60))
        {
            FaceAnalysis analysis;
            try
            {
                analysis = fixture.Pipeline.Analyze(TestData.Read(label.Path));
            }
            catch (IdVerifyException)
            {
                continue;
            }

            yield return (label.Path, analysis);
        }
    }

    [Fact]
    public void Derived_embedder_gives_the_original_embeddings_within_1e4_cosine_on_real_photos()
    {
        var entry = fixture.Pipeline.Embedder.Model;
        Assert.NotNull(entry.Derived);
        using var sessionOptions = new SessionOptions();
        using var original = new FaceEmbedder(entry, fixture.Store.PathOf(entry), sessionOptions);

        var compared = 0;
        var lowest = 1f;
        foreach (var (photo, analysis) in BonaFideFaces())
        {
            var cosine = Similarity.Cosine(analysis.Embedding, original.Embed(analysis.Aligned));
            Assert.True(cosine >= 1 - 1e-4, $"{photo}: cosine {cosine} between the derived and the original embedder");
            lowest = Math.Min(lowest, cosine);
            compared++;
        }

        output.WriteLine($"{compared} faces, lowest cosine {lowest:F7}");
        Assert.True(compared >= 40, $"only {compared} faces compared");
    }

    [Fact]
    public void Derived_liveness_models_give_the_original_scores_within_1e4_on_real_photos()
    {
        using var sessionOptions = new SessionOptions();
        var models = fixture.Pipeline.Liveness.Models;
        var originals = models.Select(m => FaceModelFactory.CreateLivenessModel(m.Model, fixture.Store.PathOf(m.Model), sessionOptions)).ToList();
        try
        {
            var compared = 0;
            var largest = 0f;
            foreach (var (photo, analysis) in BonaFideFaces())
            {
                using var image = fixture.Pipeline.Decoder.Decode(TestData.Read(photo));
                for (var i = 0; i < models.Count; i++)
                {
                    Assert.NotNull(models[i].Model.Derived);
                    var difference = Math.Abs(models[i].Score(image.Image, analysis.Face.Box) - originals[i].Score(image.Image, analysis.Face.Box));
                    Assert.True(difference <= 1e-4, $"{photo}: {models[i].Model.Id} P(live) differs by {difference}");
                    largest = Math.Max(largest, difference);
                }

                compared++;
            }

            output.WriteLine($"{compared} faces, largest P(live) difference {largest:E2}");
            Assert.True(compared >= 40, $"only {compared} faces compared");
        }
        finally
        {
            originals.ForEach(m => m.Dispose());
        }
    }

    [Fact]
    public async Task Derived_liveness_models_give_every_convolution_whole_channel_blocks()
    {
        // ONNX Runtime's blocked layout (16 channels with AVX-512) takes only convolutions whose input fills whole blocks.
        foreach (var entry in fixture.Pipeline.Liveness.Models.Select(m => m.Model))
        {
            var original = InputChannels(fixture.Store.PathOf(entry));
            var derived = InputChannels(await fixture.Store.EnsureAsync(entry));
            Assert.Contains(original, c => c % 16 != 0 && c != 3);
            Assert.Equal(original.Count, derived.Count);
            Assert.All(derived.Where(c => c != 3), c => Assert.True(c % 16 == 0, $"{entry.Id}: a convolution reads {c} channels"));
            output.WriteLine($"{entry.Id}: {original.Count(c => c % 16 != 0 && c != 3)} of {original.Count} convolutions padded to whole blocks");
        }
    }

    private static List<long> InputChannels(string modelPath)
    {
        var graph = Onnx.ModelProto.Parser.ParseFrom(File.ReadAllBytes(modelPath)).Graph;
        var weights = graph.Initializer.ToDictionary(i => i.Name, StringComparer.Ordinal);
        return [.. graph.Node.Where(n => n.OpType == "Conv")
            .Select(n => weights[n.Input[1]].Dims[1] * (n.Attribute.FirstOrDefault(a => a.Name == "group")?.I ?? 1))];
    }

    [Fact]
    public async Task Derived_detector_finds_the_original_faces_at_each_photo_own_aspect_and_the_same_on_a_640_square()
    {
        // RetinaFace, the swap-in detector whose graph is rewritten for a free input size.
        var entry = fixture.Manifest.Get("retinaface-mnet025", ModelRoles.Detector);
        Assert.NotNull(entry.Derived);
        using var sessionOptions = new SessionOptions();
        using var original = new RetinaFaceDetector(entry, fixture.Store.PathOf(entry), new DetectorOptions(), sessionOptions);
        using var derived = new RetinaFaceDetector(entry, await fixture.Store.EnsureAsync(entry), new DetectorOptions(), sessionOptions);

        var compared = 0;
        var worst = 0f;
        foreach (var label in TestData.Labels().Where(l => l.Kind == "bonafide").Take(60))
        {
            using var image = fixture.Pipeline.Decoder.Decode(TestData.Read(label.Path));
            var ours = derived.Detect(image.Image);
            var theirs = original.Detect(image.Image);
            Assert.Equal(theirs.Count > 0, ours.Count > 0);
            if (theirs.Count == 0)
            {
                continue;
            }

            // The same input where the photo is the original's 640×640 square: the rewrite changed no arithmetic.
            if (compared < 5)
            {
                using var square = image.Image.Clone(x => x.Resize(640, 640));
                var exact = derived.Detect(square).MaxBy(f => f.Box.Area)!;
                var reference = original.Detect(square).MaxBy(f => f.Box.Area)!;
                Assert.All(exact.Landmarks.Zip(reference.Landmarks), p => Assert.True(Distance(p.First, p.Second) < 1e-2f, $"{label.Path}: {p.First} against {p.Second} on the square"));
            }

            // At the photo's own aspect only the padding below or beside it differs (the square had 640 − height rows more).
            var face = ours.MaxBy(f => f.Box.Area)!;
            var expected = theirs.MaxBy(f => f.Box.Area)!;
            var moved = face.Landmarks.Zip(expected.Landmarks, Distance).Max() / expected.InterEyeDistance;
            Assert.True(moved < 0.15f, $"{label.Path}: a landmark moved {moved:P1} of the inter-eye distance");
            worst = Math.Max(worst, moved);
            compared++;
        }

        output.WriteLine($"{compared} photos, largest landmark move {worst:P2} of the inter-eye distance");
        Assert.True(compared >= 40, $"only {compared} photos compared");
    }

    private static float Distance(Imaging.Point2 a, Imaging.Point2 b) => MathF.Sqrt(MathF.Pow(a.X - b.X, 2) + MathF.Pow(a.Y - b.Y, 2));
}
