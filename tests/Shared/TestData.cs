using IdVerify.Core.Evaluation;
using IdVerify.Core.Models;

namespace IdVerify.Tests;

/// <summary>The shared real photos and models every test project reads (never copied into the repository).</summary>
public static class TestData
{
    public const string FacesVariable = "IDVERIFY_FACES";

    private static readonly Lazy<string> Faces = new(() =>
    {
        var configured = Environment.GetEnvironmentVariable(FacesVariable);
        if (configured is { Length: > 0 })
        {
            return Path.GetFullPath(configured);
        }

        var shared = Path.Combine(RepositoryRoot, "..", "shared", "faces");
        return Directory.Exists(shared)
            ? Path.GetFullPath(shared)
            : throw new DirectoryNotFoundException($"No face photos at {shared}; set {FacesVariable}.");
    });

    private static readonly Lazy<string> Root = new(() =>
    {
        for (var dir = new DirectoryInfo(AppContext.BaseDirectory); dir is not null; dir = dir.Parent)
        {
            if (File.Exists(Path.Combine(dir.FullName, "IdVerify.sln")))
            {
                return dir.FullName;
            }
        }

        throw new DirectoryNotFoundException("IdVerify.sln not found above the test binaries.");
    });

    public static string RepositoryRoot => Root.Value;

    public static string FacesRoot => Faces.Value;

    public static ModelLocations Models => ModelLocations.Discover(Path.Combine(RepositoryRoot, "models"));

    /// <summary>The verified file of a manifest model, pulled first if this checkout has not pulled it yet (as on a fresh clone).</summary>
    public static async Task<string> ModelFileAsync(string modelId)
    {
        var locations = Models;
        var entry = locations.LoadManifest().Models.Single(m => m.Id == modelId);
        return await new ModelStore(locations).EnsureAsync(entry);
    }

    /// <summary>Path of a photo given as "source/relative/path".</summary>
    public static string Photo(string relative) => Path.Combine(FacesRoot, relative);

    public static byte[] Read(string relative) => File.ReadAllBytes(Photo(relative));

    public sealed record Pair(string Source, string FileA, string FileB, bool SameIdentity)
    {
        public string PathA => $"{Source}/{FileA}";

        public string PathB => $"{Source}/{FileB}";
    }

    public static IReadOnlyList<Pair> Pairs() => CsvTable.Read(Path.Combine(FacesRoot, "pairs.csv"), "source", "file_a", "file_b", "same_identity")
        .Rows.Select(r => new Pair(r["source"], r["file_a"], r["file_b"], r["same_identity"] == "1"))
        .ToList();

    public sealed record Label(string Source, string File, string Identity, string Kind)
    {
        public string Path => $"{Source}/{File}";
    }

    public static IReadOnlyList<Label> Labels() => CsvTable.Read(Path.Combine(FacesRoot, "labels.csv"), "source", "file", "identity", "kind")
        .Rows.Select(r => new Label(r["source"], r["file"], r["identity"], r["kind"]))
        .ToList();
}
