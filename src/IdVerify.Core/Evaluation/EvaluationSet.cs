namespace IdVerify.Core.Evaluation;

/// <summary>A photo with its identity. Identities are only comparable within one source, so the key joins both.</summary>
public sealed record LabelledPhoto(string Path, string Identity, string Source, string Kind)
{
    public string IdentityKey => $"{Source}\u001f{Identity}";
}

public sealed record ScorePair(string PathA, string PathB, bool Genuine);

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
    /// </summary>
    public static EvaluationSet Load(string labelsPath, string? pairsPath, int impostorSample = 20_000, int extraImpostors = 0, int seed = 1)
    {
        var labels = ReadCsv(labelsPath);
        var photos = labels.Rows
            .Select(r => new LabelledPhoto(
                Join(labels.Get(r, "source"), labels.Get(r, "file") ?? throw new InvalidDataException($"{labelsPath} has no 'file' column.")),
                labels.Get(r, "identity") ?? "",
                labels.Get(r, "source") ?? "",
                labels.Get(r, "kind") is { Length: > 0 } kind ? kind : "bonafide"))
            .Where(p => p.Identity.Length > 0 && p.Kind == "bonafide")
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
            return new EvaluationSet(photos, [.. genuine, .. impostors],
                $"all {genuine.Count} within-identity pairs as genuine; {Math.Min(impostorSample, candidates.Count)} of {candidates.Count} cross-identity pairs (seed {seed}) as impostors");
        }

        var table = ReadCsv(pairsPath);
        var pairs = table.Rows.Select(r => new ScorePair(
                Join(table.Get(r, "source"), table.Get(r, "file_a")!),
                Join(table.Get(r, "source"), table.Get(r, "file_b")!),
                table.Get(r, "same_identity") is "1" or "true" or "True"))
            .ToList();
        var paired = pairs.SelectMany(p => new[] { p.PathA, p.PathB }).Distinct().Order(StringComparer.Ordinal).ToList();
        foreach (var path in paired.Where(p => !byPath.ContainsKey(p)))
        {
            var photo = new LabelledPhoto(path, "", "", "bonafide");
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

        return new EvaluationSet(photos.Where(p => paired.Contains(p.Path)).ToList(), pairs, description);
    }

    private static string Key(string a, string b) => string.CompareOrdinal(a, b) < 0 ? $"{a}|{b}" : $"{b}|{a}";

    private static string Join(string? source, string file) => source is { Length: > 0 } ? $"{source}/{file}" : file;

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

    private sealed record Csv(Dictionary<string, int> Columns, List<string[]> Rows)
    {
        public string? Get(string[] row, string column) =>
            Columns.TryGetValue(column, out var i) && i < row.Length ? row[i].Trim() : null;
    }

    private static Csv ReadCsv(string path)
    {
        var lines = File.ReadLines(path).Where(l => l.Trim().Length > 0).ToList();
        if (lines.Count == 0)
        {
            throw new InvalidDataException($"{path} is empty.");
        }

        var header = lines[0].Split(',').Select((name, i) => (name.Trim(), i)).ToDictionary(x => x.Item1, x => x.i, StringComparer.OrdinalIgnoreCase);
        return new Csv(header, lines.Skip(1).Select(l => l.Split(',')).ToList());
    }
}
