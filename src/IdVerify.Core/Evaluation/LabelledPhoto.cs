namespace IdVerify.Core.Evaluation;

/// <summary>A photo with its identity. Identities are only comparable within one source, so the key joins both.</summary>
public sealed record LabelledPhoto(string Path, string Identity, string Source, string Kind)
{
    public const string BonaFide = "bonafide";
    public const string Attack = "attack";

    public string IdentityKey => $"{Source}\u001f{Identity}";

    /// <summary>
    /// Every row of a labels file: <c>file,identity</c> at least; <c>source</c> (the folder <c>file</c> is relative to)
    /// and <c>kind</c> (<c>bonafide</c>, the default, or <c>attack</c>) are honoured, as in shared/faces/labels.csv.
    /// </summary>
    public static IReadOnlyList<LabelledPhoto> Load(string labelsPath)
    {
        var table = CsvTable.Read(labelsPath, "file", "identity");
        return table.Rows.Select(row => new LabelledPhoto(
                PathOf(table, row, "file"),
                row["identity"],
                row["source"],
                KindOf(table, row)))
            .ToList();
    }

    /// <summary>The photo path a row names in <paramref name="fileColumn"/>, below its <c>source</c> folder where the file has one.</summary>
    internal static string PathOf(CsvTable table, CsvRow row, string fileColumn) => row[fileColumn] switch
    {
        { Length: 0 } => throw table.Error(row, $"the '{fileColumn}' field is empty."),
        var file when row["source"] is { Length: > 0 } source => $"{source}/{file}",
        var file => file,
    };

    /// <summary><c>bonafide</c> or <c>attack</c>; an empty or absent <c>kind</c> is bona fide.</summary>
    internal static string KindOf(CsvTable table, CsvRow row) => row["kind"] switch
    {
        "" => BonaFide,
        var kind when string.Equals(kind, BonaFide, StringComparison.OrdinalIgnoreCase) => BonaFide,
        var kind when string.Equals(kind, Attack, StringComparison.OrdinalIgnoreCase) => Attack,
        var kind => throw table.Error(row, $"kind is '{kind}', not {BonaFide} or {Attack}."),
    };
}
