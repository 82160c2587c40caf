using IdVerify.Core.Pipeline;
using IdVerify.Tests;

namespace IdVerify.Core.Tests;

/// <summary>
/// Real embeddings of the first lfw_devtrain people with two usable photos (the first to enroll, the second to search with),
/// embedded once per test run by the default bundle.
/// </summary>
public static class LfwEmbeddings
{
    private static readonly Lock Gate = new();
    private static List<(string Name, float[] Enrolled, float[] Probe)>? people;

    public static IReadOnlyList<(string Name, float[] Enrolled, float[] Probe)> Of(FacePipeline pipeline, int count)
    {
        lock (Gate)
        {
            if (people is not { } known || known.Count < count)
            {
                people = [];
                foreach (var folder in Directory.GetDirectories(Path.Combine(TestData.FacesRoot, "lfw_devtrain")).Order(StringComparer.Ordinal))
                {
                    var files = Directory.GetFiles(folder).Order(StringComparer.Ordinal).Take(2).ToArray();
                    if (files.Length == 2 && Embed(pipeline, files[0]) is { } enrolled && Embed(pipeline, files[1]) is { } probe)
                    {
                        people.Add((Path.GetFileName(folder), enrolled, probe));
                        if (people.Count == count)
                        {
                            break;
                        }
                    }
                }
            }

            return people.Take(count).ToList();
        }
    }

    private static float[]? Embed(FacePipeline pipeline, string photo)
    {
        try
        {
            return pipeline.Analyze(File.ReadAllBytes(photo)).Embedding;
        }
        catch (IdVerifyException)
        {
            return null;
        }
    }
}
