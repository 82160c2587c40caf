namespace IdVerify.Core.Evaluation;

/// <summary>Photos and the genuine/impostor pairs to score, with a sentence saying where the pairs came from.</summary>
public sealed record EvaluationSet(IReadOnlyList<LabelledPhoto> Photos, IReadOnlyList<ScorePair> Pairs, string Description)
{
    public int GenuineCount => Pairs.Count(p => p.Genuine);

    public int ImpostorCount => Pairs.Count(p => !p.Genuine);

    /// <summary>
    /// Reads a labels file (<c>file,identity</c> at least; <c>source</c> and <c>kind</c> columns are honoured,
    /// as in shared/faces/labels.csv) and an optional pairs file (<c>file_a,file_b,same_identity</c>, with an
    /// optional <c>source</c> column). Without a pairs file every within-identity pair is genuine and up to
    /// <paramref name="impostorSample"/> cross-identity pairs are drawn as impostors. With one,
    /// <paramref name="extraImpostors"/> cross-identity pairs among the paired photos may be added: distinct
    /// identities from different sources are different people, which multiplies the impostors a small set offers.
    /// Every photo a pairs file names must be listed in the labels file; a set without both genuine and impostor
    /// pairs is refused.
    /// </summary>
    public static EvaluationSet Load(string labelsPath, string? pairsPath, int impostorSample = 20_000, int extraImpostors = 0, int seed = 1)
    {
        var labelled = LabelledPhoto.Load(labelsPath);
        var photos = labelled
            .Where(p => p.Identity.Length > 0 && p.Kind == LabelledPhoto.BonaFide)
            .DistinctBy(p => p.Path)
            .ToList();
        var byPath = photos.ToDictionary(p => p.Path, StringComparer.Ordinal);
        var random = new Random(seed);

        if (pairsPath is null)
        {
            var genuine = new List<ScorePair>();
            var candidates = new List<(int, int)>();
            for (var i = 0; i < photos.Count; i++)
            {
                for (var j = i + 1; j < photos.Count; j++)
                {
                    if (photos[i].IdentityKey == photos[j].IdentityKey)
                    {
                        genuine.Add(new ScorePair(photos[i].Path, photos[j].Path, true));
                    }
                    else
                    {
                        candidates.Add((i, j));
                    }
                }
            }

            var impostors = Sample(candidates, impostorSample, random).Select(c => new ScorePair(photos[c.Item1].Path, photos[c.Item2].Path, false));
            return Checked(new EvaluationSet(photos, [.. genuine, .. impostors],
                $"all {genuine.Count} within-identity pairs as genuine; {Math.Min(impostorSample, candidates.Count)} of {candidates.Count} cross-identity pairs (seed {seed}) as impostors"),
                labelsPath);
        }

        var known = labelled.Select(p => p.Path).ToHashSet(StringComparer.Ordinal);
        var table = CsvTable.Read(pairsPath, "file_a", "file_b", "same_identity");
        var pairs = table.Rows.Select(row => new ScorePair(
                Known(table, row, "file_a", known, labelsPath),
                Known(table, row, "file_b", known, labelsPath),
                SameIdentity(table, row)))
            .ToList();
        var paired = pairs.SelectMany(p => new[] { p.PathA, p.PathB }).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var path in paired.Where(p => !byPath.ContainsKey(p)))
        {
            var photo = new LabelledPhoto(path, "", "", LabelledPhoto.BonaFide);
            byPath[path] = photo;
            photos.Add(photo);
        }

        var description = $"{pairs.Count(p => p.Genuine)} genuine and {pairs.Count(p => !p.Genuine)} impostor pairs from {Path.GetFileName(pairsPath)}";
        if (extraImpostors > 0)
        {
            var listed = pairs.Select(p => Key(p.PathA, p.PathB)).ToHashSet(StringComparer.Ordinal);
            var cross = new List<(int, int)>();
            for (var i = 0; i < paired.Count; i++)
            {
                for (var j = i + 1; j < paired.Count; j++)
                {
                    var a = byPath[paired[i]];
                    var b = byPath[paired[j]];
                    if (a.Source != b.Source && a.Identity.Length > 0 && b.Identity.Length > 0 && !listed.Contains(Key(a.Path, b.Path)))
                    {
                        cross.Add((i, j));
                    }
                }
            }

            var added = Sample(cross, extraImpostors, random).Select(c => new ScorePair(paired[c.Item1], paired[c.Item2], false)).ToList();
            pairs.AddRange(added);
            description += $", plus {added.Count} cross-source impostor pairs among the same {paired.Count} photos";
        }

        return Checked(new EvaluationSet(photos.Where(p => paired.Contains(p.Path)).ToList(), pairs, description), pairsPath);
    }

    private static EvaluationSet Checked(EvaluationSet set, string path) => set.GenuineCount > 0 && set.ImpostorCount > 0
        ? set
        : throw new IdVerifyException(ErrorCodes.InvalidRequest,
            $"{path}: {set.GenuineCount} genuine and {set.ImpostorCount} impostor pairs; an evaluation needs both.");

    private static string Known(CsvTable table, CsvRow row, string column, HashSet<string> known, string labelsPath) =>
        LabelledPhoto.PathOf(table, row, column) is var path && known.Contains(path)
            ? path
            : throw table.Error(row, $"photo '{path}' is not listed in {labelsPath}.");

    private static bool SameIdentity(CsvTable table, CsvRow row) => row["same_identity"].ToUpperInvariant() switch
    {
        "1" or "TRUE" => true,
        "0" or "FALSE" => false,
        _ => throw table.Error(row, $"same_identity is '{row["same_identity"]}', not 1 or 0."),
    };

    private static string Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a}|{b}" : $"{b}|{a}";

    private static List<T> Sample<T>(List<T> items, int count, Random random)
    {
        if (items.Count <= count)
        {
            return items;
        }

        var copy = items.ToArray();
        random.Shuffle(copy);
        return copy[..count].ToList();
    }
}
