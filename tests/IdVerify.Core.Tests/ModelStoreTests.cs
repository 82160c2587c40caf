using IdVerify.Core.Models;
using IdVerify.Tests;

namespace IdVerify.Core.Tests;

public sealed class ModelStoreTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-models-").FullName;

    private ModelEntry Yunet => ModelManifest.Load(TestData.Models.ManifestPath).Get("yunet-2026may", ModelRoles.Detector);

    private string SourceWith(byte[] yunetBytes)
    {
        var source = Path.Combine(root, "source");
        Directory.CreateDirectory(Path.Combine(source, "detector"));
        File.WriteAllBytes(Path.Combine(source, Yunet.File), yunetBytes);
        return source;
    }

    [Fact]
    public async Task Pull_copies_from_the_source_folder_and_verifies_sha256()
    {
        var realSource = TestData.Models.SourceDirectory!;
        var store = new ModelStore(new ModelLocations(Path.Combine(root, "models"), realSource));

        var path = await store.EnsureAsync(Yunet);

        Assert.Equal(ModelFileState.Verified, store.Check(Yunet));
        Assert.Equal(Yunet.Bytes, new FileInfo(path).Length);
    }

    [Fact]
    public async Task Pull_refuses_a_file_whose_sha256_differs_and_leaves_nothing_behind()
    {
        var real = File.ReadAllBytes(Path.Combine(TestData.Models.SourceDirectory!, Yunet.File));
        real[1000] ^= 0xFF;
        var store = new ModelStore(new ModelLocations(Path.Combine(root, "models"), SourceWith(real)), offline: true);

        var error = await Assert.ThrowsAsync<IdVerifyException>(() => store.PullAsync(Yunet));

        Assert.Equal(ErrorCodes.ModelIntegrity, error.Code);
        Assert.Contains("sha256 mismatch", error.Message, StringComparison.Ordinal);
        Assert.Empty(Directory.EnumerateFiles(Path.Combine(root, "models"), "*", SearchOption.AllDirectories));
    }

    [Fact]
    public async Task A_tampered_model_already_in_place_is_refused_not_loaded()
    {
        var models = Path.Combine(root, "models");
        Directory.CreateDirectory(Path.Combine(models, "detector"));
        File.WriteAllText(Path.Combine(models, Yunet.File), "not the model");
        var store = new ModelStore(new ModelLocations(models, TestData.Models.SourceDirectory));

        var error = await Assert.ThrowsAsync<IdVerifyException>(() => store.EnsureAsync(Yunet));

        Assert.Equal(ErrorCodes.ModelIntegrity, error.Code);
        Assert.Equal("not the model", File.ReadAllText(Path.Combine(models, Yunet.File)));
    }

    [Fact]
    public void The_manifest_describes_every_shared_model_with_its_sha256()
    {
        var manifest = ModelManifest.Load(TestData.Models.ManifestPath);
        var sums = File.ReadLines(Path.Combine(TestData.Models.SourceDirectory!, "SHA256SUMS"))
            .Select(l => l.Split("  "))
            .ToDictionary(p => p[1].TrimStart('.', '/'), p => p[0]);

        foreach (var (file, sha) in sums)
        {
            var entry = Assert.Single(manifest.Models, m => m.File == file);
            Assert.Equal(sha, entry.Sha256);
            Assert.NotEmpty(entry.Origins);
        }
    }

    [Fact]
    public async Task A_derived_model_is_computed_from_the_verified_original_and_pinned_by_its_own_sha256()
    {
        var embedder = ModelManifest.Load(TestData.Models.ManifestPath).Get("mobilefacenet-paddlex-128d", ModelRoles.Embedder);
        var derived = embedder.Derived!;
        var models = Path.Combine(root, "models");
        Directory.CreateDirectory(Path.Combine(models, "embedder"));
        File.WriteAllText(Path.Combine(models, derived.File), "a tampered derived file");

        var path = await new ModelStore(new ModelLocations(models, TestData.Models.SourceDirectory), offline: true).EnsureAsync(embedder);

        Assert.Equal(Path.Combine(models, derived.File), path);
        Assert.Equal(derived.Sha256, ModelStore.HashFile(path));
        Assert.Equal(embedder.Sha256, ModelStore.HashFile(Path.Combine(models, embedder.File)));
    }

    [Fact]
    public async Task A_derived_model_whose_link_names_another_original_is_refused()
    {
        var embedder = ModelManifest.Load(TestData.Models.ManifestPath).Get("mobilefacenet-paddlex-128d", ModelRoles.Embedder);
        var relinked = embedder with { Derived = embedder.Derived! with { DerivedFrom = Yunet.Sha256 } };
        var store = new ModelStore(new ModelLocations(Path.Combine(root, "models"), TestData.Models.SourceDirectory), offline: true);

        var error = await Assert.ThrowsAsync<IdVerifyException>(() => store.EnsureAsync(relinked));

        Assert.Equal(ErrorCodes.ModelIntegrity, error.Code);
        Assert.False(File.Exists(Path.Combine(root, "models", embedder.Derived!.File)));
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
