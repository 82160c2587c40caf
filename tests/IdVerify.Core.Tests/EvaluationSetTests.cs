using IdVerify.Core.Evaluation;
using IdVerify.Tests;

namespace IdVerify.Core.Tests;

public sealed class EvaluationSetTests : IDisposable
{
    private readonly string root = Directory.CreateTempSubdirectory("idverify-set-").FullName;

    [Fact]
    public void A_pairs_file_reads_sources_and_same_identity_flags()
    {
        var labels = Write("labels.csv", "source,file,identity,kind\ns,a.jpg,A,bonafide\ns,b.jpg,A,bonafide\ns,c.jpg,C,\n");
        var pairs = Write("pairs.csv", "source,file_a,file_b,same_identity\ns,a.jpg,b.jpg,1\ns,a.jpg,c.jpg,0\n");

        var set = EvaluationSet.Load(labels, pairs);

        Assert.Equal([new ScorePair("s/a.jpg", "s/b.jpg", true), new ScorePair("s/a.jpg", "s/c.jpg", false)], set.Pairs);
        Assert.Equal(3, set.Photos.Count);
    }

    [Theory]
    [InlineData("source,file_a,file_b,same_identity\ns,a.jpg,z.jpg,1\ns,a.jpg,c.jpg,0\n", "pairs.csv:2: photo 's/z.jpg' is not listed in")]
    [InlineData("source,file_a,file_b,same_identity\ns,a.jpg,b.jpg,yes\n", "pairs.csv:2: same_identity is 'yes', not 1 or 0.")]
    [InlineData("source,file_a,file_b,same_identity\ns,a.jpg,b.jpg,1\n", "pairs.csv: 1 genuine and 0 impostor pairs; an evaluation needs both.")]
    public void A_pairs_file_the_set_cannot_use_is_refused_naming_file_and_line(string text, string expected)
    {
        var labels = Write("labels.csv", "source,file,identity,kind\ns,a.jpg,A,bonafide\ns,b.jpg,A,bonafide\ns,c.jpg,C,bonafide\n");
        var pairs = Write("pairs.csv", text);

        var error = Assert.Throws<IdVerifyException>(() => EvaluationSet.Load(labels, pairs));

        Assert.Equal(ErrorCodes.InvalidRequest, error.Code);
        Assert.Contains(expected, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void A_labels_file_with_an_unknown_kind_is_refused_naming_the_line()
    {
        var labels = Write("labels.csv", "file,identity,kind\na.jpg,A,bonafide\nb.jpg,A,selfie\n");

        var error = Assert.Throws<IdVerifyException>(() => EvaluationSet.Load(labels, null));

        Assert.Contains("labels.csv:3: kind is 'selfie', not bonafide or attack.", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void The_shipped_attack_labels_name_captures_that_exist_with_both_attack_types()
    {
        // eval-liveness reads this file by default and the README's PAD table comes from it.
        var samples = PadReport.LoadLabels(Path.Combine(TestData.RepositoryRoot, "tests", "data", "pad-labels.csv"));

        Assert.All(samples, s => Assert.True(File.Exists(TestData.Photo(s.Path)), s.Path));
        Assert.Equal(["printed_photo", "screen_replay"], samples.Where(s => s.Attack).Select(s => s.AttackType).Distinct().Order());
        Assert.Contains(samples, s => !s.Attack);
    }

    private string Write(string name, string text)
    {
        var path = Path.Combine(root, name);
        File.WriteAllText(path, text);
        return path;
    }

    public void Dispose() => Directory.Delete(root, recursive: true);
}
