using System.Numerics.Tensors;
using IdVerify.Core.Templates;

namespace IdVerify.Core.Tests;

/// <summary>The secret rotation of the search copies on real lfw_devtrain embeddings: scores kept, keys unlinkable.</summary>
[Collection(PipelineCollection.Name)]
public sealed class SearchRotationTests(PipelineFixture fixture)
{
    [Fact]
    public void A_rotation_keeps_every_cosine_within_1e_5()
    {
        var keys = DataKeyRing.CreateNew();
        var rotation = new SearchRotation(keys);
        var faces = LfwEmbeddings.Of(fixture.Pipeline, 20).SelectMany(p => new[] { p.Enrolled, p.Probe }).ToList();
        var rotated = faces.Select(f => rotation.Rotate(keys.ActiveId, f)).ToList();

        for (var i = 0; i < faces.Count; i++)
        {
            Assert.Equal(1, TensorPrimitives.Norm(rotated[i]), 1e-5);
            Assert.NotEqual(faces[i], rotated[i]);
            for (var j = 0; j < i; j++)
            {
                Assert.Equal(TensorPrimitives.Dot(faces[i], faces[j]), TensorPrimitives.Dot(rotated[i], rotated[j]), 1e-5);
            }
        }

        Assert.Equal(rotated[0], new SearchRotation(keys).Rotate(keys.ActiveId, faces[0]));
    }

    [Fact]
    public void Two_keys_give_unlinkable_copies_of_one_template()
    {
        var keys = DataKeyRing.CreateNew().WithNewKey("dk-next");
        var rotation = new SearchRotation(keys);
        var faces = LfwEmbeddings.Of(fixture.Pipeline, 20).SelectMany(p => new[] { p.Enrolled, p.Probe }).ToList();

        // Under two keys the same face's copies are as far apart as two random directions (|cos| about 1/√128 ≈ 0.09), while
        // the plain vectors of one person's two photos sit far closer than that.
        var linked = keys.Ids.Order().ToArray() is [var a, var b]
            ? faces.Select(f => MathF.Abs(TensorPrimitives.Dot(rotation.Rotate(a, f), rotation.Rotate(b, f)))).ToList()
            : throw new InvalidOperationException("two keys expected");
        Assert.True(linked.Average() < 0.12 && linked.Max() < 0.4, $"mean |cos| {linked.Average():F3}, max {linked.Max():F3}");
    }
}
