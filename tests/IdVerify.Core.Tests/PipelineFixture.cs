using IdVerify.Core.Models;
using IdVerify.Core.Pipeline;
using IdVerify.Tests;

namespace IdVerify.Core.Tests;

/// <summary>The default bundle, loaded once for every test that needs the real models.</summary>
public sealed class PipelineFixture : IAsyncLifetime
{
    public FacePipeline Pipeline { get; private set; } = null!;

    public ModelManifest Manifest { get; private set; } = null!;

    public ModelStore Store { get; private set; } = null!;

    public async Task InitializeAsync()
    {
        var locations = TestData.Models;
        Manifest = ModelManifest.Load(locations.ManifestPath);
        Store = new ModelStore(locations);
        Pipeline = await FacePipelineLoader.LoadAsync(Manifest, Store, ModelBundle.DefaultOf(Manifest), new PipelineOptions());
    }

    public Task DisposeAsync()
    {
        Pipeline.Dispose();
        return Task.CompletedTask;
    }
}

[CollectionDefinition(Name)]
public sealed class PipelineCollection : ICollectionFixture<PipelineFixture>
{
    public const string Name = "pipeline";
}
