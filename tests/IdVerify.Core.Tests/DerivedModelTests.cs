using IdVerify.Core.Embedding;
using IdVerify.Core.Matching;
using IdVerify.Core.Pipeline;
using IdVerify.Tests;
using Microsoft.ML.OnnxRuntime;
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
}
