using IdVerify.Tests;

namespace IdVerify.Core.Tests;

/// <summary>
/// The crop models' input tensors come from the process-wide pool the detector and embedder use; run alone, so that no
/// test on another thread holds the pool's buffers while this one measures.
/// </summary>
[Collection(CropModelAllocationCollection.Name)]
public sealed class CropModelAllocationTests(PipelineFixture fixture)
{
    [Fact]
    public void Landmarks_and_liveness_leave_nothing_on_the_large_object_heap_per_face()
    {
        // A 150 KB array per request had made one gen-2 collection per ~90 verifies.
        var pipeline = fixture.Pipeline;
        using var image = pipeline.Decoder.Decode(TestData.Read("azure_face_samples/Family1-Daughter1.jpg"));
        var box = pipeline.Detector.Detect(image.Image)[0].Box;
        var eyes = pipeline.Eyes!;
        eyes.Detect(image.Image, box);
        pipeline.Liveness.Check(image.Image, box);

        var before = GC.GetAllocatedBytesForCurrentThread();
        eyes.Detect(image.Image, box);
        var landmarks = GC.GetAllocatedBytesForCurrentThread() - before;
        before = GC.GetAllocatedBytesForCurrentThread();
        pipeline.Liveness.Check(image.Image, box);
        var liveness = GC.GetAllocatedBytesForCurrentThread() - before;

        // 85,000 bytes: the size from which .NET puts an array on the large object heap.
        Assert.True(landmarks < 85_000, $"the landmark model allocated {landmarks:N0} bytes for one face");
        Assert.True(liveness < 85_000, $"liveness allocated {liveness:N0} bytes for one face");
    }
}

[CollectionDefinition(Name, DisableParallelization = true)]
public sealed class CropModelAllocationCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "crop model allocation";
}
